// Valid resident ID numbers (GB 11643) of the test county, for the tests to type and import.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The 18-character number for birth date 'YYYYMMDD' (or 'YYYY-MM-DD') and a sequence 0–999
 *  (its last digit odd: a man); the address code is the test county's, 522222. */
export function idnumOf(birth, seq) {
  const body = `522222${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return body + '10X98765432'[[...body].reduce((a, d, i) => a + Number(d) * W[i], 0) % 11];
}
