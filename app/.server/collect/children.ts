/**
 * Which child ordinals a device has answered on a link (decision 0027): the respondent keys of
 * ordinals 1…maxChildrenPerDevice, looked up at once. Only keyed hashes are compared; nothing
 * says which child a response was for.
 */
import { respondedAmong } from "../../../db/repositories/responses";
import { audienceOf, type Audience } from "../../domain/audience";
import { CHILD_LIMITS, nextChild, type OtherChildOffer } from "../../domain/children";
import type { Services } from "../context";
import { childRespondentKeys } from "./device";
import type { LinkContext } from "./link-context";

export function linkAudience(link: LinkContext): Audience {
  return audienceOf({ questionnaireId: link.scope.questionnaireId, schoolName: link.school?.name ?? null });
}

/** The ordinals (1-based) this device has a stored response for on this link. */
export async function answeredChildren(services: Services, deviceId: string, link: LinkContext): Promise<Set<number>> {
  // Other audiences only ever have ordinal 1: one key, one lookup.
  const max = linkAudience(link) === "parent" ? CHILD_LIMITS.maxChildrenPerDevice : 1;
  const keys = childRespondentKeys(services.keys, deviceId, link.scopeKey, max);
  const found = await respondedAmong(services.db, keys);
  const answered = new Set<number>();
  keys.forEach((k, i) => {
    if (found.has(k)) answered.add(i + 1);
  });
  return answered;
}

export type { OtherChildOffer };

export function otherChildOffer(answered: ReadonlySet<number>, link: LinkContext): OtherChildOffer {
  const audience = linkAudience(link);
  if (audience !== "parent") return null;
  const next = nextChild(answered, audience, CHILD_LIMITS);
  return next === null ? { kind: "limit", max: CHILD_LIMITS.maxChildrenPerDevice } : { kind: "next", child: next };
}
