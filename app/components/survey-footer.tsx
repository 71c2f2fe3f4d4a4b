/**
 * The foot of the parents' pages: who to call about the survey (SUPPORT_CONTACT) and the site's
 * ICP 备案 number linked to the register (ICP_BEIAN), each only when the deployment sets it.
 * A telephone number in the contact line is a tap-to-call link and never broken over two lines.
 */
import type { PageFooter } from "../domain/page-header";

const PHONE = /(\d[\d-]{5,}\d)/;

function ContactText({ text }: { text: string }) {
  return (
    <>
      {text.split(PHONE).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} className="survey-footer__tel" href={`tel:${part.replace(/-/g, "")}`}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function SurveyFooter({ footer }: { footer: PageFooter | null | undefined }) {
  if (!footer || (!footer.contact && !footer.icpBeian)) return null;
  return (
    <footer className="survey-footer">
      {footer.contact ? (
        <p className="survey-footer__contact">
          如有疑问，请联系：
          <ContactText text={footer.contact} />
        </p>
      ) : null}
      {footer.icpBeian ? (
        <p className="survey-footer__icp">
          <a href="https://beian.miit.gov.cn/" rel="noreferrer" target="_blank">
            {footer.icpBeian}
          </a>
        </p>
      ) : null}
    </footer>
  );
}
