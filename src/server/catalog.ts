import type { z } from "zod";
import {
  PatientCaseSchema,
  PersonaSchema,
  PUBLIC_CASE_ID_PATTERN,
  publicCaseId,
  type PatientCase,
  type Persona,
} from "../domain/index.js";
import { findDiagnosisMentions, formatPath } from "../library/authoring.js";
import { cases, personas } from "../library/index.js";
import { MedsimError, NotFoundError, ValidationError } from "../util/errors.js";
import { validate } from "../util/files.js";
import type { Principal } from "./auth.js";
import type { CatalogKind, SessionStore } from "./store/index.js";

/** Ids the catalogs accept over HTTP; never a path, so a request cannot make the server read a file. */
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,127}$/;

type Item<K extends CatalogKind> = K extends "case" ? PatientCase : Persona;

const SCHEMAS = { case: PatientCaseSchema, persona: PersonaSchema } as const;
const BUILT_INS = { case: cases, persona: personas } as const;

/** An item with where it came from. */
export interface CatalogEntry<K extends CatalogKind> {
  item: Item<K>;
  source: "built-in" | "user";
  owner?: string;
  shared?: boolean;
}

/**
 * Personas and cases as the server sees them: the built-in library (read-only) plus the items
 * users stored. A student key sees its own items and those an admin key shared; an admin sees all.
 */
export class ServerCatalog {
  constructor(private readonly store: SessionStore) {}

  /**
   * One item by id. A case is found by its public id (`case-…`, see {@link publicCaseId}) by anyone
   * who may read it; by its internal id (which names the diagnosis) only for an admin key or the key
   * that stored it, so a student cannot learn which public id a guessed diagnosis has.
   */
  async get<K extends CatalogKind>(
    kind: K,
    id: string,
    principal: Principal,
    field: string = kind,
  ): Promise<CatalogEntry<K>> {
    if (!ID_PATTERN.test(id))
      throw new ValidationError("request", [
        { field, message: `expected an id of lowercase letters, digits, '_' and '-', found "${id.slice(0, 60)}"` },
      ]);
    const internalId = kind === "case" && PUBLIC_CASE_ID_PATTERN.test(id) ? await this.caseIdOf(id, principal) : id;
    const mayUseInternalId = kind !== "case" || internalId !== id || principal.role === "admin";
    const builtInIds = await BUILT_INS[kind].ids();
    if (internalId !== undefined && mayUseInternalId && builtInIds.includes(internalId))
      return { item: (await BUILT_INS[kind].get(internalId)) as Item<K>, source: "built-in" };
    const row = internalId === undefined ? undefined : await this.store.getCatalogItem(kind, internalId);
    if (row && canRead(row, principal) && (mayUseInternalId || row.owner === principal.name))
      return {
        item: validate(SCHEMAS[kind], row.body, `stored ${kind} ${internalId}`) as Item<K>,
        source: "user",
        owner: row.owner,
        shared: row.shared === 1,
      };
    const userIds = (await this.store.listCatalogItems(kind, visibleTo(principal))).map((item) => item.id);
    const known = [...builtInIds, ...userIds];
    // A student is told public case ids only: the internal ones name diagnoses.
    throw new NotFoundError(kind, id, kind === "case" && principal.role !== "admin" ? known.map(publicCaseId) : known);
  }

  /** The internal id of the case with this public id that `principal` may read, or undefined. */
  private async caseIdOf(publicId: string, principal: Principal): Promise<string | undefined> {
    const builtIn = (await cases.ids()).find((caseId) => publicCaseId(caseId) === publicId);
    if (builtIn) return builtIn;
    const rows = await this.store.listCatalogItems("case", visibleTo(principal));
    return rows.find((row) => publicCaseId(row.id) === publicId)?.id;
  }

  async list<K extends CatalogKind>(kind: K, principal: Principal): Promise<CatalogEntry<K>[]> {
    const builtIn = (await BUILT_INS[kind].list()).map((item) => ({
      item: item as Item<K>,
      source: "built-in" as const,
    }));
    const user = (await this.store.listCatalogItems(kind, visibleTo(principal))).map((row) => ({
      item: row.body as Item<K>,
      source: "user" as const,
      owner: row.owner,
      shared: row.shared === 1,
    }));
    return [...builtIn, ...user];
  }

  /**
   * Creates or replaces a user item. Built-in ids are read-only; another key's item cannot be
   * overwritten; a case that names its own diagnosis where the patient speaks is refused.
   */
  async put<K extends CatalogKind>(
    kind: K,
    body: unknown,
    principal: Principal,
    expectedId?: string,
  ): Promise<{ item: Item<K>; created: boolean }> {
    const item = validate(SCHEMAS[kind] as z.ZodType, body, "request body") as Item<K>;
    if (expectedId !== undefined && item.id !== expectedId)
      throw new ValidationError("request body", [
        { field: "id", message: `expected "${expectedId}" (the id in the URL), found "${item.id}"` },
      ]);
    if ((await BUILT_INS[kind].ids()).includes(item.id))
      throw new MedsimError("conflict", `${kind} "${item.id}" is built in and read-only; choose another id`);
    if (kind === "case" && PUBLIC_CASE_ID_PATTERN.test(item.id))
      throw new ValidationError("request body", [
        { field: "id", message: `"${item.id}" has the form of a public case id (case-<10 hex digits)` },
      ]);
    if (kind === "case") checkCaseDoesNotLeak(item as PatientCase);
    const existing = await this.store.getCatalogItem(kind, item.id);
    if (existing && !canWrite(existing, principal))
      throw new MedsimError("conflict", `${kind} "${item.id}" belongs to another key; choose another id`);
    await this.store.putCatalogItem({
      kind,
      id: item.id,
      owner: existing?.owner ?? principal.name,
      shared: principal.role === "admin",
      body: item,
    });
    return { item, created: !existing };
  }

  async delete(kind: CatalogKind, id: string, principal: Principal): Promise<void> {
    if ((await BUILT_INS[kind].ids()).includes(id))
      throw new MedsimError("conflict", `${kind} "${id}" is built in and read-only`);
    const existing = await this.store.getCatalogItem(kind, id);
    if (!existing || !canRead(existing, principal)) throw new NotFoundError(kind, id, []);
    if (!canWrite(existing, principal)) throw new MedsimError("forbidden", `${kind} "${id}" belongs to another key`);
    await this.store.deleteCatalogItem(kind, id);
  }
}

function visibleTo(principal: Principal): string | undefined {
  return principal.role === "admin" ? undefined : principal.name;
}

function canRead(row: { owner: string; shared: number }, principal: Principal): boolean {
  return principal.role === "admin" || row.owner === principal.name || row.shared === 1;
}

function canWrite(row: { owner: string }, principal: Principal): boolean {
  return principal.role === "admin" || row.owner === principal.name;
}

/**
 * The fields the patient speaks from (everything but the diagnosis, the differentials and the
 * clinician-facing findings and results) must not name the diagnosis: a model told it might say it.
 */
export function checkCaseDoesNotLeak(patientCase: PatientCase): void {
  const leak = findDiagnosisMentions(patientCase)[0];
  if (leak)
    throw new ValidationError("request body", [
      {
        field: formatPath(leak.path),
        message: `names the diagnosis ("${leak.term}") in a field the patient speaks from`,
      },
    ]);
}
