/**
 * The foot of the parents' pages: who to call about the survey (SUPPORT_CONTACT) and the site's
 * ICP 备案 number linked to the register (ICP_BEIAN), each only when the deployment sets it.
 */
import type { PageFooter } from "../domain/page-header";

export function SurveyFooter({ footer }: { footer: PageFooter | null | undefined }) {
  if (!footer || (!footer.contact && !footer.icpBeian)) return null;
  return (
    <footer className="survey-footer">
      {footer.contact ? <p className="survey-footer__contact">如有疑问，请联系：{footer.contact}</p> : null}
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
