// A group with a committee, set up straight in the database (per 006_committees.sql) for tests of
// the contact mechanism: `members` committee members (the first the chair) and two households
// headed by two more people, all of the group.
/**
 * @param {(q: string) => string} sql runs a statement with sqlite3 and returns its output
 * @param {number} group the village group's unit id
 * @param {{members: number, name: (i: number) => string, sex?: string, birth?: string}} opts
 * @returns {{committee: number, people: number[], households: number[]}} people in id order:
 *   the members first, then the two heads
 */
export function committeeGroup(sql, group, { members, name, sex = 'M', birth = '1970-01-01' }) {
  sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${group}, '2025-01-01', '2028-01-01');`);
  const committee = Number(sql(`SELECT id FROM committee WHERE unit_id = ${group}`));
  for (let i = 0; i < members + 2; i++) {
    sql(`INSERT INTO person (unit_id, name, sex, birth) VALUES (${group}, '${name(i)}', '${sex}', '${birth}')`);
  }
  const people = sql(`SELECT id FROM person WHERE unit_id = ${group} ORDER BY id`).split('\n').map(Number);
  sql(`INSERT INTO household (unit_id, hh_no, head_id) VALUES (${group}, '1', ${people[members]}), (${group}, '2', ${people[members + 1]});`);
  const households = sql(`SELECT id FROM household WHERE unit_id = ${group} ORDER BY id`).split('\n').map(Number);
  for (const [i, p] of people.slice(0, members).entries()) {
    sql(`INSERT INTO committee_member (committee_id, person_id, post, start_date) VALUES (${committee}, ${p}, '${i ? 'member' : 'chair'}', '2025-01-01')`);
  }
  return { committee, people, households };
}
