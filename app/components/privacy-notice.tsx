import type { PageHeader } from "../domain/page-header";

/**
 * The short notice above the first question (个人信息保护法): what the survey is for, that it
 * is anonymous, and exactly what is stored. The 学生卷's version is worded for children under
 * 14 and their guardians.
 */
export function PrivacyNotice({ header }: { header: PageHeader }) {
  if (header.questionnaireId === "student") {
    return (
      <section className="notice" aria-label="调查说明">
        <p>
          <strong>同学你好！</strong>这份问卷想听听你对学校的真实感受，没有对错之分，也不会影响你的成绩。问卷
          <strong>不记名</strong>：不用写名字，我们不收集你的电话、身份证号，也不记录你的网络地址。
        </p>
        <p>
          {`我们只保存你的答案、作答用时和一个认不出你是谁的设备编号（防止重复提交）。不满14周岁的同学，请在家长或老师陪同下填写；家长不同意孩子填写的，可以直接关闭本页。本调查由${header.organizer}组织，约需3分钟。`}
        </p>
      </section>
    );
  }
  return (
    <section className="notice" aria-label="调查说明">
      <p>本调查由{header.organizer}组织，了解您对本县（区）义务教育的满意程度，用于推进义务教育优质均衡发展，约需3分钟。</p>
      <p>
        问卷<strong>匿名</strong>填写：不收集姓名、电话、身份证号，也不保存您的 IP
        地址。系统只保存您的答案、作答用时和一个无法识别您身份的设备编号（用于防止重复提交）。
      </p>
    </section>
  );
}
