/** Balance and size statistics of a synthetic set (what `--json` and `medsim data stats` print). */
export interface DialogueStats {
  records: number;
  perPersona: Record<string, number>;
  perDisease: Record<string, number>;
  perSplit: Record<string, number>;
  /** Doctor turns per dialogue. */
  turns: { min: number; max: number; mean: number };
  /** Largest relative deviation of a persona's count from an equal share (0.05 = 5%). */
  personaImbalance: number;
}

/** Computes statistics over anything with a persona, a disease, a split and doctor-turn count. */
export function dialogueStats(
  items: readonly { personaId?: string; diseaseId?: string; split?: string; doctorTurns: number }[],
): DialogueStats {
  const count = (key: (item: (typeof items)[number]) => string | undefined) =>
    sortKeys(
      items.reduce<Record<string, number>>((acc, item) => {
        const value = key(item) ?? "(none)";
        acc[value] = (acc[value] ?? 0) + 1;
        return acc;
      }, {}),
    );
  const perPersona = count((item) => item.personaId);
  const turns = items.map((item) => item.doctorTurns);
  const share = items.length / Math.max(1, Object.keys(perPersona).length);
  return {
    records: items.length,
    perPersona,
    perDisease: count((item) => item.diseaseId),
    perSplit: count((item) => item.split),
    turns: {
      min: turns.length ? Math.min(...turns) : 0,
      max: turns.length ? Math.max(...turns) : 0,
      mean: turns.length ? round(turns.reduce((a, b) => a + b, 0) / turns.length) : 0,
    },
    personaImbalance: items.length
      ? round(Math.max(...Object.values(perPersona).map((value) => Math.abs(value - share) / share)))
      : 0,
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
