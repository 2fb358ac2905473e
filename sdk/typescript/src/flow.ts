// One household's month through the generated TypeScript client, against a live server:
// sign up, a household of three, expenses split two ways, a bank file, a chore done with
// no body, a ranked-choice vote, balances and the fairness report. Prints a JSON summary
// that tests/sdk compares with the Python client's.
//
//   FAIRSTEAD_URL=http://127.0.0.1:8000 node dist/flow.js
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

const base = process.env.FAIRSTEAD_URL;
if (!base) throw new Error("set FAIRSTEAD_URL");
const email = process.env.FAIRSTEAD_EMAIL ?? "ts-sdk@example.org";
const password = "correct horse battery staple";
const today = new Date().toISOString().slice(0, 10);

/** The data of a successful call; a problem document (or no data) throws. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

async function main(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl: base });
  ok(await anonymous.POST("/v1/users", { body: { email, password, display_name: "Sam" } }));
  const token = ok(await anonymous.POST("/v1/tokens", { body: { email, password, name: "ts" } }));
  const api = createClient<paths>({
    baseUrl: base,
    headers: { Authorization: `Bearer ${token.token}` },
  });

  const home: Schemas["Household"] = ok(
    await api.POST("/v1/households", {
      body: { name: "Flat on Weserstraße", currency: "EUR", timezone: "UTC" },
    }),
  );
  const household = { household_id: home.id };
  const members = ok(await api.GET("/v1/households/{household_id}/members", { params: { path: household } }));
  const sam = members.data[0]!.id;
  // role and income_visibility are server defaults: optional here.
  const robin = ok(
    await api.POST("/v1/households/{household_id}/members", {
      params: { path: household },
      body: { display_name: "Robin" },
    }),
  ).id;
  const kim = ok(
    await api.POST("/v1/households/{household_id}/members", {
      params: { path: household },
      body: { display_name: "Kim" },
    }),
  ).id;
  const names: Record<string, string> = { [sam]: "Sam", [robin]: "Robin", [kim]: "Kim" };

  const equal: Schemas["SplitIn"] = {
    method: "equal",
    participants: [{ member_id: sam }, { member_id: robin }, { member_id: kim }],
  };
  const shares: Schemas["SplitIn"] = {
    method: "shares",
    participants: [
      { member_id: sam, shares: 2 },
      { member_id: robin, shares: 1 },
      { member_id: kim, shares: 1 },
    ],
  };
  const expenses: Record<string, Record<string, number>> = {};
  for (const [description, amount, paid_by, split] of [
    ["Groceries", 4500, sam, equal],
    ["Dinner", 6000, robin, shares],
  ] as const) {
    const expense = ok(
      await api.POST("/v1/households/{household_id}/expenses", {
        params: { path: household },
        body: { description, amount, currency: "EUR", date: today, paid_by, split },
      }),
    );
    expenses[`${description} (${expense.split.method})`] = Object.fromEntries(
      expense.shares.map((s) => [names[s.member_id]!, s.amount]),
    );
  }

  ok(
    await api.POST("/v1/households/{household_id}/import-rules", {
      params: { path: household },
      body: { name: "everything", action: "shared" },
    }),
  );
  const qif = `!Type:Bank\nD${today}\nT-32.10\nPREWE Markt\n^\nD${today}\nT-12.00\nPPharmacy\n^\n`;
  const run = ok(
    await api.POST("/v1/households/{household_id}/imports", {
      params: { path: household },
      // `file` is `format: binary`: the file's content; sent as multipart form data.
      body: { file: qif, currency: "EUR" },
      bodySerializer(body) {
        const form = new FormData();
        form.append("file", new Blob([body.file]), "statement.qif");
        form.append("currency", body.currency ?? "EUR");
        return form;
      },
    }),
  );

  const chore = ok(
    await api.POST("/v1/households/{household_id}/chores", {
      params: { path: household },
      body: {
        name: "Take out the bins",
        estimated_minutes: 10,
        effort: 1,
        load: "execution",
        starts_on: today,
        recurrence: "FREQ=DAILY",
        assignment: { strategy: "fixed", member_id: sam },
      },
    }),
  );
  // No body at all: the button or NFC tag case.
  const done = ok(
    await api.POST("/v1/households/{household_id}/chores/{chore_id}/complete", {
      params: { path: { ...household, chore_id: chore.id } },
    }),
  );

  const decision = ok(
    await api.POST("/v1/households/{household_id}/decisions", {
      params: { path: household },
      body: {
        title: "Where do we go on holiday?",
        method: "ranked_choice",
        options: ["Seaside", "Mountains", "City trip"],
        ballot: "open",
      },
    }),
  );
  const option = Object.fromEntries(decision.options.map((o) => [o.label, o.id]));
  const rankings: [string, string[]][] = [
    [sam, ["Seaside", "Mountains"]],
    [robin, ["Mountains", "Seaside"]],
    [kim, ["Seaside", "City trip"]],
  ];
  for (const [member_id, labels] of rankings) {
    const ballot: Schemas["RankedBallot"] = { ranking: labels.map((l) => option[l]!) };
    ok(
      await api.PUT("/v1/households/{household_id}/decisions/{decision_id}/votes/{member_id}", {
        params: { path: { ...household, decision_id: decision.id, member_id } },
        body: ballot,
      }),
    );
  }
  const closed = ok(
    await api.POST("/v1/households/{household_id}/decisions/{decision_id}/close", {
      params: { path: { ...household, decision_id: decision.id } },
    }),
  );
  const winners = (closed.result?.winner_option_ids ?? []).map(
    (id) => decision.options.find((o) => o.id === id)?.label,
  );

  const balances = ok(
    await api.GET("/v1/households/{household_id}/balances", { params: { path: household } }),
  );
  const report = ok(
    await api.GET("/v1/households/{household_id}/fairness/report", {
      params: { path: household },
    }),
  );

  const summary = {
    expenses,
    imported: run.counts.created,
    chore: { status: done.status, completed_by: names[done.completed_by_member_id ?? ""] },
    winners,
    balances: Object.fromEntries(balances.data.map((b) => [names[b.member_id]!, b.net])),
    report: {
      currency: report.currency,
      money: Object.fromEntries(
        report.dimensions.money.members.map((m) => [names[m.member_id]!, m.actual]),
      ),
    },
  };
  console.log(JSON.stringify(summary));
}

await main();
