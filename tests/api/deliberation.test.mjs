// Deliberation (议事决策) over HTTP: a major matter through the three stages, refusals that name the
// missing stage, votes failed at the quorum and majority boundaries (recorded as failed), the
// published decision, group rules adopted only through a passed 'rules' matter, scope and escaping.
// People come from the registry API (POST /api/v1/households, /api/v1/people); committee members
// are inserted with sqlite3 per 006_committees.sql (the committee API is another mechanism's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty, client } from './lib/county.mjs';

let county, mem, admin, townB, anon, group, people = [];
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();

before(async () => {
  county = await startCounty({ env: { ZUWEI_TODAY: '2026-03-20' } });
  admin = await county.login('admin');
  mem = await county.login('mem_a');
  townB = await county.login('town_b');
  anon = client(county.url);
  group = Number(sql("SELECT id FROM unit WHERE code = '522222001001001'"));
  // Three households of three adults each, and one child: 9 adults 18+, 3 household representatives.
  for (let h = 1; h <= 3; h++) {
    const hh = await mem.postJson('/api/v1/households', { unit_id: group, hh_no: String(h) });
    assert.equal(hh.status, 201, hh.text);
    for (let k = 0; k < 3; k++) {
      const p = await mem.postJson('/api/v1/people', {
        household_id: hh.data.id, name: `组民${h}${k}`, sex: k % 2 ? 'F' : 'M', birth: `19${70 + k}-0${h}-01`,
        relation: k === 0 ? 'head' : 'spouse', status: 'resident',
      });
      assert.equal(p.status, 201, p.text);
      people.push({ id: p.data.id, hh: hh.data.id });
    }
    if (h === 3) {
      const c = await mem.postJson('/api/v1/people', {
        household_id: hh.data.id, name: '小孩', sex: 'M', birth: '2016-05-01', relation: 'child', status: 'resident',
      });
      assert.equal(c.status, 201, c.text);
      people.push({ id: c.data.id, hh: hh.data.id, child: true });
    }
  }
  sql(`INSERT INTO committee (id, unit_id, term_start, term_end) VALUES (1, ${group}, '2025-01-01', '2028-01-01');` +
      people.slice(0, 3).map((p, i) => `INSERT INTO committee_member (committee_id, person_id, post, start_date) VALUES (1, ${p.id}, '${i ? 'member' : 'chair'}', '2025-01-01');`).join(''));
});

after(async () => { await county?.close(); });

const adults = () => people.filter((p) => !p.child).map((p) => p.id);

async function meeting(body, held_on, basis = 'adults') {
  const r = await mem.postJson('/api/v1/meetings', { unit_id: group, body, basis, held_on, place: '组活动室' });
  assert.equal(r.status, 201, r.text);
  return r.data;
}

async function attend(id, present) {
  const r = await mem.postJson(`/api/v1/meetings/${id}/attendance`, { present });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

test('a major matter goes through the three stages in order; skipping is refused with the missing stage', async () => {
  const m = await mem.postJson('/api/v1/matters', {
    unit_id: group, title: '组集体林地流转', category: 'land', raised_by: 'villager', raised_on: '2026-03-01',
  });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.data.major, true);
  assert.equal(m.data.stage, 'consult');
  const id = m.data.id;
  const committee = await meeting('committee', '2026-03-05');
  const assembly = await meeting('assembly', '2026-03-10');
  assert.equal(assembly.eligible, 9, 'eligible adults come from the roll');
  assert.equal(committee.eligible, 3);

  let r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 9, votes_against: 0, abstentions: 0 });
  assert.equal(r.status, 422);
  assert.match(r.text, /还缺少第一阶段：组民商议/);
  r = await mem.postJson(`/api/v1/matters/${id}/propose`, { meeting_id: committee.id, proposal: '流转给合作社' });
  assert.equal(r.status, 422);
  assert.match(r.text, /还缺少第一阶段：组民商议/);

  r = await mem.postJson(`/api/v1/matters/${id}/consult`, { on_date: '2026-03-03', text: '多数户同意流转', opinions: 8 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.stage, 'propose');
  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 9, votes_against: 0, abstentions: 0 });
  assert.match(r.text, /还缺少第二阶段/);
  r = await mem.postJson(`/api/v1/matters/${id}/propose`, { meeting_id: assembly.id, proposal: '流转给合作社' });
  assert.equal(r.status, 422, 'stage 2 must be a committee meeting');
  r = await mem.postJson(`/api/v1/matters/${id}/propose`, { meeting_id: committee.id, proposal: '林地流转给本组合作社，租期十年' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.stage, 'decide');

  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 5, votes_against: 0, abstentions: 0 });
  assert.equal(r.status, 422);
  assert.match(r.text, /请先登记/);

  // 2/3 of 9 is 6: five adults present (and a child, who does not count) fail the quorum.
  const five = await attend(assembly.id, [...adults().slice(0, 5), people.find((p) => p.child).id]);
  assert.equal(five.present, 5);
  assert.equal(five.quorum, 6);
  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 5, votes_against: 0, abstentions: 0 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.vote.result, 'failed');
  assert.match(r.data.vote.reason, /法定人数不足/);
  assert.equal(r.data.stage, 'decide', 'a failed vote keeps the matter open');
  assert.equal(r.data.published, false);
  assert.equal((await anon.get(`/p/m/${id}`)).status, 404, 'nothing is published after a failed vote');

  // Exactly 2/3 present; exactly half in favour fails, one more passes.
  const six = await attend(assembly.id, adults().slice(0, 6));
  assert.equal(six.present, 6);
  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 3, votes_against: 3, abstentions: 0 });
  assert.equal(r.data.vote.result, 'failed');
  assert.match(r.data.vote.reason, /表决未通过/);
  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 7, votes_against: 0, abstentions: 0 });
  assert.equal(r.status, 422, 'more ballots than present are refused, not recorded');
  r = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: assembly.id, votes_for: 4, votes_against: 2, abstentions: 0 });
  assert.equal(r.data.vote.result, 'passed', r.text);
  assert.equal(r.data.stage, 'implement');
  assert.equal(r.data.decision, '林地流转给本组合作社，租期十年');

  const full = await mem.json(`/api/v1/matters/${id}`);
  assert.deepEqual(full.data.votes.map((v) => v.result), ['failed', 'failed', 'passed']);
  assert.deepEqual(full.data.entries.map((e) => e.kind), ['consult', 'proposal', 'vote', 'vote', 'vote']);

  const pub = await anon.get(`/p/m/${id}`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /林地流转给本组合作社/);
  assert.doesNotMatch(pub.text, /组民4|组民5/, 'no villagers named on the public page beyond the committee');
  const notice = await mem.get(`/matters/${id}/notice`);
  assert.equal(notice.status, 200);
  assert.match(notice.text, /<svg/);
  assert.match(notice.text, new RegExp(`决议公告`));

  r = await mem.postJson(`/api/v1/matters/${id}/close`, { on_date: '2026-03-12' });
  assert.equal(r.status, 200);
  r = await mem.postJson(`/api/v1/matters/${id}/implement`, { on_date: '2026-03-11', text: '已签订流转合同', result: '租金到账' });
  assert.equal(r.status, 422, 'a closed matter takes no more entries');
  const audit = Number(sql(`SELECT count(*) FROM audit WHERE entity = 'matter' AND entity_id = ${id} AND action = 'vote_failed'`));
  assert.equal(audit, 2);
});

test('a minor matter may be decided by the committee; a major one may not', async () => {
  const minor = await mem.postJson('/api/v1/matters', {
    unit_id: group, title: '清理组内水沟', category: 'environment', raised_by: 'committee', raised_on: '2026-03-02',
  });
  assert.equal(minor.data.major, false);
  const c = await meeting('committee', '2026-03-06');
  await attend(c.id, people.slice(0, 2).map((p) => p.id));
  let r = await mem.postJson(`/api/v1/matters/${minor.data.id}/vote`, { meeting_id: c.id, votes_for: 2, votes_against: 0, abstentions: 0, decision: '周六集体清理' });
  assert.equal(r.data.vote.result, 'passed', r.text);
  const major = await mem.postJson('/api/v1/matters', {
    unit_id: group, title: '小型活动', category: 'other', major: true, raised_by: 'committee', raised_on: '2026-03-02',
  });
  assert.equal(major.data.major, true, 'any matter may be marked major');
  r = await mem.postJson(`/api/v1/matters/${major.data.id}/vote`, { meeting_id: c.id, votes_for: 2, votes_against: 0, abstentions: 0 });
  assert.equal(r.status, 422);
  assert.match(r.text, /组委会不能直接决定/);
});

async function rulesMatter(title, text, votesFor) {
  const m = await mem.postJson('/api/v1/matters', { unit_id: group, title, category: 'rules', raised_by: 'committee', raised_on: '2026-03-13' });
  const id = m.data.id;
  await mem.postJson(`/api/v1/matters/${id}/consult`, { on_date: '2026-03-14', text: '征求意见' });
  const c = await meeting('committee', '2026-03-15');
  await mem.postJson(`/api/v1/matters/${id}/propose`, { meeting_id: c.id, proposal: text });
  const a = await meeting('assembly', '2026-03-16', 'reps');
  const att = await attend(a.id, adults());
  assert.equal(att.eligible, 3, 'household representatives on the roll');
  assert.equal(att.present, 3);
  const v = await mem.postJson(`/api/v1/matters/${id}/vote`, { meeting_id: a.id, votes_for: votesFor, votes_against: 3 - votesFor, abstentions: 0 });
  return { id, vote: v.data.vote };
}

test('group rules are adopted only through a passed rules matter, versioned and public', async () => {
  const failed = await rulesMatter('制定组规民约（未通过）', '第一条 不通过的条文', 1);
  assert.equal(failed.vote.result, 'failed');
  let r = await mem.postJson(`/api/v1/matters/${failed.id}/rule`, { title: '组规民约' });
  assert.equal(r.status, 422);
  assert.match(r.text, /表决尚未通过/);
  const landMatter = Number(sql(`SELECT id FROM matter WHERE title = '组集体林地流转'`));
  r = await mem.postJson(`/api/v1/matters/${landMatter}/rule`, { title: '组规民约' });
  assert.match(r.text, /只有“组规民约”类事项/);

  const first = await rulesMatter('制定组规民约', '第一条 爱护公共设施', 2);
  r = await mem.postJson(`/api/v1/matters/${first.id}/rule`, { title: '坝溪村一组组规民约' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.rules[0].current_version, 1);
  r = await mem.postJson(`/api/v1/matters/${first.id}/rule`, { title: '再来一次' });
  assert.equal(r.status, 422, 'one matter adopts one version');
  const ruleId = r.status === 422 ? Number(sql(`SELECT id FROM group_rule WHERE unit_id = ${group}`)) : 0;

  const second = await rulesMatter('修订组规民约', '第一条 爱护公共设施；第二条 红白喜事从简', 3);
  r = await mem.postJson(`/api/v1/matters/${second.id}/rule`, { rule_id: ruleId, note: '增加第二条' });
  assert.equal(r.status, 201, r.text);
  const doc = r.data.rules.find((d) => d.id === ruleId);
  assert.equal(doc.current_version, 2);
  assert.deepEqual(doc.versions.map((v) => v.kind), ['amendment', 'new']);

  const pub = await anon.get(`/p/g/${group}/rules`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /红白喜事从简/);
  assert.match(pub.text, /第 2 版/);
  const inside = await mem.json(`/api/v1/groups/${group}/rules`);
  assert.equal(inside.data.items[0].versions.length, 2);
});

test('scope: another township sees nothing, by id or in lists and exports', async () => {
  const id = Number(sql(`SELECT min(id) FROM matter`));
  assert.equal((await townB.json(`/api/v1/matters/${id}`)).status, 404);
  assert.equal((await townB.get(`/matters/${id}`)).status, 404);
  const meetingId = Number(sql(`SELECT min(id) FROM meeting`));
  assert.equal((await townB.json(`/api/v1/meetings/${meetingId}`)).status, 404);
  assert.equal((await townB.get(`/meetings/${meetingId}/attendance`)).status, 404);
  const list = await townB.json('/api/v1/matters');
  assert.equal(list.data.total, 0);
  const r = await townB.postJson(`/api/v1/matters/${id}/implement`, { on_date: '2026-03-12', text: 'x' });
  assert.equal(r.status, 404);
  const mine = await admin.json('/api/v1/matters?overdue=0');
  assert.ok(mine.data.total >= 5);

  const xlsx = async (c) => {
    const res = await c.get('/matters/export.xlsx');
    assert.equal(res.status, 200);
    const path = `${county.dbPath}.${Math.random()}.xlsx`;
    (await import('node:fs')).writeFileSync(path, res.body);
    return execFileSync('unzip', ['-p', path, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  };
  assert.doesNotMatch(await xlsx(townB), /组集体林地流转/);
  assert.match(await xlsx(admin), /组集体林地流转/);
  const csv = async (c) => {
    const res = await c.get('/matters/export.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/csv/);
    return res.text;
  };
  assert.doesNotMatch(await csv(townB), /组集体林地流转/);
  assert.match(await csv(admin), /^\uFEFF编号,村民组,事项名称,/);
  assert.match(await csv(admin), /组集体林地流转/);
  assert.ok(Number(sql(`SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'matter'`)) >= 2);
});

test('a matter filter the list does not offer is refused with 422 naming it', async () => {
  for (const [query, field, code] of [['stage=done', 'stage', 'choice'], ['category=roads', 'category', 'choice'],
    ['overdue=yes', 'overdue', 'choice'], [`q=${encodeURIComponent('事'.repeat(61))}`, 'q', 'too_long']]) {
    const r = await admin.json(`/api/v1/matters?${query}`);
    assert.equal(r.status, 422, query);
    assert.deepEqual([r.data.error.code, r.data.error.field], [code, field], query);
  }
  const page = await admin.get('/matters?stage=done');
  assert.equal(page.status, 422);
  assert.match(page.text, /class="flash err" role="alert">筛选条件无效/);
  assert.equal((await admin.get('/matters/export.csv?category=roads')).status, 422);
  const fine = await admin.json(`/api/v1/matters?stage=closed&category=rules&overdue=1&q=${encodeURIComponent('事'.repeat(60))}`);
  assert.equal(fine.status, 200);
});

test('texts are escaped on every page', async () => {
  const m = await mem.postJson('/api/v1/matters', {
    unit_id: group, title: '<script>alert(1)</script>', description: '<img src=x onerror=alert(2)>', category: 'other',
    raised_by: 'villager', raised_on: '2026-03-18',
  });
  assert.equal(m.status, 201, m.text);
  for (const path of [`/matters/${m.data.id}`, `/groups/${group}/matters`, '/matters']) {
    const page = await mem.get(path);
    assert.equal(page.status, 200, path);
    assert.doesNotMatch(page.text, /<script>alert|<img src=x/, path);
    assert.match(page.text, /&lt;script&gt;alert\(1\)/, path);
  }
});

test('pages: board, attendance without JavaScript, sign-in sheet', async () => {
  assert.equal((await mem.get(`/groups/${group}/matters`)).status, 200);
  const a = await meeting('assembly', '2026-03-19');
  const page = await mem.get(`/meetings/${a.id}/attendance`);
  assert.equal(page.status, 200);
  assert.match(page.text, /户代表/);
  const hh = people[0].hh;
  const r = await mem.post(`/meetings/${a.id}/attendance`, [['csrf', mem.csrf], ['hh', String(hh)], ['present', String(people[3].id)]], { noCsrf: true });
  assert.equal(r.status, 303);
  const after = await mem.json(`/api/v1/meetings/${a.id}`);
  assert.equal(after.data.present, 4, 'a whole household plus one person');
  const sheet = await mem.get(`/meetings/${a.id}/signin`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.text, /签到表/);
  assert.match(sheet.text, /print-doc/);
});

test('attendance marks the committee members serving on the day, and only them', async () => {
  const c = await meeting('committee', '2026-03-18');
  const page = await mem.get(`/meetings/${c.id}/attendance`);
  assert.equal(page.status, 200);
  const marked = [...page.text.matchAll(/id="p(\d+)"[^>]*data-member="1"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  assert.deepEqual(marked, people.slice(0, 3).map((p) => p.id).sort((a, b) => a - b));
  const early = await meeting('committee', '2024-06-01');   // before the committee's term
  assert.doesNotMatch((await mem.get(`/meetings/${early.id}/attendance`)).text, /data-member="1"/);
});

test('the matter list: display order, filters served the same at county and township, a capped count', async () => {
  // 1,005 matters of another group of the same township, written directly (the list only reads).
  const other = Number(sql("SELECT id FROM unit WHERE code = '522222001001002'"));
  const town = Number(sql("SELECT id FROM unit WHERE code = '522222001000'"));
  const stages = ['consult', 'propose', 'decide', 'implement', 'closed'], cats = ['assets', 'land', 'works', 'funds'];
  const rows = [];
  for (let i = 0; i < 1005; i++) {
    const since = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    rows.push(`(${other}, '批量事项${i}', '${cats[i % 4]}', 'villager', '${since}', '${stages[i % 5]}', '${since}')`);
  }
  sql(`INSERT INTO matter (unit_id, title, category, raised_by, raised_on, stage, stage_since) VALUES ${rows.join(',')}`);
  const all = await admin.json('/api/v1/matters');
  assert.equal(all.status, 200);
  assert.equal(all.data.total, 1000);
  assert.equal(all.data.total_capped, true);
  const key = (m) => `${m.stage_since}|${String(m.id).padStart(10, '0')}`;
  const keys = all.data.items.map(key);
  assert.deepEqual(keys, [...keys].sort(), 'oldest in its stage first, then by id');
  const html = await admin.get('/matters?page=2');
  assert.match(html.text, /共 1,000 条以上/);
  assert.match(html.text, /rel="next" href="\/matters\?page=3"/);
  for (const q of ['page=2', 'stage=decide&page=2', 'category=land&page=2', 'overdue=1&page=3', 'stage=consult&category=funds&overdue=1',
    'q=批量事项10']) {
    const county = await admin.json(`/api/v1/matters?${q}`);
    const township = await admin.json(`/api/v1/matters?${q}&unit=${town}`);
    assert.ok(county.data.items.length > 0, q);
    assert.deepEqual(county.data.items.map((m) => m.id), township.data.items.map((m) => m.id), q);
    assert.equal(county.data.total, township.data.total, q);
  }
  const od = await admin.json('/api/v1/matters?overdue=1&stage=decide');
  const expect = Number(sql(`SELECT count(*) FROM matter WHERE stage = 'decide' AND stage_since < '2026-02-18'`));
  assert.equal(od.data.total, Math.min(expect, 1000));
  assert.ok(od.data.items.every((m) => m.stage === 'decide' && m.stage_since < '2026-02-18'));
  assert.equal((await townB.json('/api/v1/matters')).data.total, 0);
});
