import type { DialogueTurn, PatientCase, Persona } from "../domain/index.js";
import { buildSystemPrompt, type SystemPromptOptions } from "../simulator/prompt.js";
import type { ChatRecord, MedsimRecord, PersonaPair, RecordMeta } from "./formats.js";

/** What the converters need of a dialogue (a `SynthDialogue` has it all). */
export interface DialogueLike {
  id: string;
  patientCase: PatientCase;
  diseaseId: string;
  persona: Persona;
  split?: RecordMeta["split"];
  turns: readonly DialogueTurn[];
}

function metaOf(dialogue: DialogueLike, generator: string): RecordMeta {
  return {
    id: dialogue.id,
    caseId: dialogue.patientCase.id,
    diseaseId: dialogue.diseaseId,
    personaId: dialogue.persona.id,
    ...(dialogue.split ? { split: dialogue.split } : {}),
    generator,
  };
}

/**
 * `chat`: the system prompt that makes a model play the patient, then doctor → user, patient →
 * assistant. `systemPrompt` is the prompt's style (`full` by default; `compact` for an adapter
 * that will be run with the simulator's compact prompt: the same function writes both, so the
 * training data and the session see the same text).
 */
export function toChatRecord(
  dialogue: DialogueLike,
  generator = "scripted",
  systemPrompt: NonNullable<SystemPromptOptions["style"]> = "full",
): ChatRecord {
  return {
    messages: [
      { role: "system", content: buildSystemPrompt(dialogue.patientCase, dialogue.persona, { style: systemPrompt }) },
      ...dialogue.turns.map((turn) => ({
        role: turn.role === "doctor" ? ("user" as const) : ("assistant" as const),
        content: turn.content,
      })),
    ],
    meta: metaOf(dialogue, generator),
  };
}

/** `medsim`: the case script and the dialogue. */
export function toMedsimRecord(dialogue: DialogueLike, generator = "scripted"): MedsimRecord {
  return {
    script: dialogue.patientCase,
    dialogue: dialogue.turns.map((turn) => ({ role: turn.role, content: turn.content })),
    meta: metaOf(dialogue, generator),
  };
}

/** `persona-pairs`: each doctor turn with the patient's answer, labelled with the persona id. */
export function toPersonaPairs(dialogue: DialogueLike): PersonaPair[] {
  const pairs: PersonaPair[] = [];
  for (let index = 0; index + 1 < dialogue.turns.length; index++) {
    const doctor = dialogue.turns[index]!;
    const patient = dialogue.turns[index + 1]!;
    if (doctor.role === "doctor" && patient.role === "patient" && doctor.content.trim() && patient.content.trim())
      pairs.push({ persona: dialogue.persona.id, doctor_input: doctor.content, patient_response: patient.content });
  }
  return pairs;
}

/** The persona list written beside `conversations.json`. */
export function toPersonaDescriptions(personas: readonly Persona[]) {
  return personas.map((persona) => ({
    persona: persona.id,
    name: persona.name,
    description: persona.description,
    traits: [...persona.traits],
    examples: [...persona.examples],
  }));
}

/** A `medsim` record back to doctor/patient turns and a chat record (for re-export). */
export function medsimToChat(record: MedsimRecord, persona: Persona): ChatRecord {
  return toChatRecord(
    {
      id: record.meta?.id ?? record.script.id,
      patientCase: record.script,
      diseaseId: record.meta?.diseaseId ?? record.script.id,
      persona,
      split: record.meta?.split,
      turns: record.dialogue,
    },
    record.meta?.generator ?? "import",
  );
}
