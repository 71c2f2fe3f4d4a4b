/**
 * The way on for a parent with another child at the same school (decision 0027): under the
 * thank-you and 已提交 messages, a plain link (it works without JavaScript) to the questionnaire
 * for the next child ordinal — or, at the limit, why there is none. Parents only: the server
 * passes null for every other audience.
 */
import { childPath, OTHER_CHILD_WORDS, type OtherChildOffer } from "../domain/children";

export function OtherChild({ token, offer }: { token: string; offer: OtherChildOffer }) {
  if (!offer) return null;
  if (offer.kind === "limit") return <p className="page-message__hint other-child__limit">{OTHER_CHILD_WORDS.limitReached(offer.max)}</p>;
  return (
    <div className="other-child">
      <p className="other-child__lead">{OTHER_CHILD_WORDS.lead}</p>
      <a className="button other-child__button" href={childPath(token, offer.child)}>
        {OTHER_CHILD_WORDS.button}
      </a>
    </div>
  );
}
