/* election.h -- counting a committee election (村民委员会组织法 Art. 15,
 * applied to group committees unless the county sets otherwise).
 *
 * Rules encoded:
 *  - ballots returned (收回, i.e. voters who took part) <= ballots issued
 *    (发出) <= registered voters (登记选民); more returned than issued makes
 *    the election invalid (选举无效), as does more issued than registered;
 *  - the election is valid only when more than half of the registered voters
 *    vote (2*returned > registered);
 *  - first round: a candidate is elected with more than half of the ballots
 *    cast, void ballots included (2*votes > returned), highest first, up to
 *    the number of seats; when candidates tie across the last seat, those
 *    seats need a re-vote (重新投票); when fewer qualify than there are
 *    seats, the rest go to a run-off (另行选举);
 *  - run-off: the most votes win provided they reach at least 1/3 of the
 *    ballots cast (3*votes >= returned); a tie across the last seat again
 *    needs a re-vote; seats still unfilled stay vacant.
 * Every count is an int; comparisons are done in 64-bit integers. */
#ifndef ZUWEI_COMMITTEES_ELECTION_H
#define ZUWEI_COMMITTEES_ELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELECTION_MAX_SEATS 16
#define ELECTION_MAX_CANDIDATES 64
#define ELECTION_REASON_SIZE 320

typedef struct {
    int registered;     /* 登记选民数 */
    int issued;         /* 发出选票 */
    int returned;       /* 收回选票 = 参加投票人数 */
    int void_ballots;   /* 无效票 */
} BallotCount;

typedef struct {
    int64_t id;         /* person id of the candidate */
    int votes;
} Candidate;

typedef enum {
    ELECTION_ELECTED = 0,        /* every seat filled */
    ELECTION_REVOTE_NEEDED = 1,  /* a tie across the last seat */
    ELECTION_RUNOFF_NEEDED = 2,  /* first round left seats unfilled */
    ELECTION_SEATS_VACANT = 3,   /* run-off left seats unfilled */
    ELECTION_INVALID = 4,        /* too few voted, or ballot counts impossible */
    ELECTION_ERR_INPUT = -1,     /* counts that cannot be recorded at all */
} ElectionStatus;

typedef struct {
    ElectionStatus status;
    int64_t winners[ELECTION_MAX_SEATS];  /* highest votes first */
    int nwinners;
    int64_t tied[ELECTION_MAX_CANDIDATES];  /* candidates tied across the last seat */
    int ntied;
    int seats_open;       /* seats left for a re-vote, run-off, or vacant */
    int threshold;        /* least votes a winner needed */
    char reason[ELECTION_REASON_SIZE];   /* Chinese, with the numbers */
} ElectionResult;

int election_count(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                   ElectionResult *out);
int election_runoff(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                    ElectionResult *out);
const char *election_status_zh(int status);

#endif
