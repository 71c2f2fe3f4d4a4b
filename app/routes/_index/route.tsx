/**
 * The landing page. Parents normally never see it (they arrive by QR code); someone who does is
 * told how to reach their questionnaire. When the demo campaign exists, its printable QR kits
 * are listed so the platform can be tried end to end.
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { demoKits } from "./demo-kits.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ demo: await demoKits(context.services) });
}

export const meta: MetaFunction = () => [{ title: "义务教育优质均衡发展调查评估平台" }];

export default function Index() {
  const { demo } = useLoaderData<typeof loader>();
  return (
    <main className="home">
      <h1>义务教育优质均衡发展调查评估平台</h1>
      <p>
        家长、教师和学生请<strong>扫描学校张贴或转发的二维码</strong>进入问卷；人大代表、政协委员和其他群众请扫描县（区）教育局提供的二维码。
      </p>
      {demo ? (
        <section className="home__demo">
          <h2>
            演示：{demo.campaignName}
            <span className="demo-badge demo-badge--inline">演示数据</span>
          </h2>
          {demo.counties.map((county) => (
            <div key={county.name} className="home__county">
              <h3>
                <a href={county.kitPath}>{county.name}（县级二维码）</a>
              </h3>
              <ul>
                {county.schools.map((school) => (
                  <li key={school.kitPath}>
                    <a href={school.kitPath}>{school.name}</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </main>
  );
}
