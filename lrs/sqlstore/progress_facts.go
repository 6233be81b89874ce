package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs/progress"
)

// factTx is the Worker's transaction; see progress.FactTx.
type factTx struct {
	s  *Store
	tx *sqlx.Tx
	// version is the cursor's version the batch started from, cache the
	// progress this node wrote (see foldedCache), and written what the
	// batch writes, for the cache once it is committed.
	version int64
	cache   *foldedCache
	written map[progress.Key]*progress.Folded
}

const factColumns = `statement_id, course_id, seq, learner, name, registration, kind, lesson_id, question_id,
	score, success, response, duration_ms, at, group_name, group_ifi, authority`

const factColumnCount = 17

// keyChunk is how many keys one query names: two parameters each.
const keyChunk = 400

// keysIn returns "(course_id, learner) IN (VALUES (?, ?), ...)" and its
// arguments.
func keysIn(keys []progress.Key) (string, []any) {
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k.Course, k.Learner)
	}
	return `(course_id, learner) IN (VALUES ` + valuesRows(len(keys), 2) + `)`, args
}

func (t factTx) DeleteFacts(ctx context.Context, ids []string) error {
	err := chunks(len(ids), 1000, func(lo, hi int) error {
		args := make([]any, hi-lo)
		for i, id := range ids[lo:hi] {
			args[i] = id
		}
		in := `statement_id IN (` + placeholders(hi-lo) + `)`
		rows, err := t.tx.QueryContext(ctx, t.tx.Rebind(`SELECT course_id, learner, kind, question_id, response, success FROM progress_facts WHERE `+in), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var answers []progress.Fact
		for rows.Next() {
			var (
				f                  progress.Fact
				question, response sql.NullString
				success            sql.NullBool
				kind               string
			)
			if err := rows.Scan(&f.Course, &f.Learner, &kind, &question, &response, &success); err != nil {
				return err
			}
			f.Kind, f.Question, f.Response = progress.FactKind(kind), question.String, response.String
			if success.Valid {
				f.Success = &success.Bool
			}
			answers = append(answers, f)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := t.countAnswers(ctx, answers, -1); err != nil {
			return err
		}
		_, err = t.tx.ExecContext(ctx, t.tx.Rebind(`DELETE FROM progress_facts WHERE `+in), args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete facts: %w", err)
	}
	return nil
}

func (t factTx) InsertFacts(ctx context.Context, facts []progress.Fact) error {
	args := make([]any, 0, len(facts)*factColumnCount)
	for _, f := range facts {
		if f.Kind != progress.FactAnswer {
			continue // see progress.FactTx
		}
		var success any
		if f.Success != nil {
			success = *f.Success
		}
		var score any
		if f.Score != nil {
			score = *f.Score
		}
		args = append(args, f.StatementID, f.Course, f.Seq, f.Learner, nullString(f.Name), f.Registration, string(f.Kind),
			nullString(f.Lesson), nullString(f.Question), score, success, nullString(f.Response),
			f.Duration.Milliseconds(), timestamp{f.Time}, nullString(f.GroupName), nullString(f.GroupIFI), nullString(f.Authority))
	}
	if err := t.s.insertRows(ctx, t.tx, `progress_facts (`+factColumns+`)`, factColumnCount, args); err != nil {
		return fmt.Errorf("insert facts: %w", err)
	}
	if err := t.countAnswers(ctx, facts, 1); err != nil {
		return fmt.Errorf("insert facts: %w", err)
	}
	return nil
}

// countAnswers adds the answers among facts (sign 1) to the questions
// report's counts (migration 0011), or takes them out (sign -1).
func (t factTx) countAnswers(ctx context.Context, facts []progress.Fact, sign int64) error {
	type responseKey struct{ course, question, response string }
	type learnerKey struct{ course, question, learner string }
	type counts struct{ attempts, correct, wrong int64 }
	responses := map[responseKey]*counts{}
	learners := map[learnerKey]int64{}
	for _, f := range facts {
		if f.Kind != progress.FactAnswer {
			continue
		}
		// Only wrong answers are listed by response: the others (and
		// reflections' and essays' texts) count under "".
		rk := responseKey{f.Course, f.Question, ""}
		if f.Success != nil && !*f.Success {
			rk.response = f.Response
		}
		c := responses[rk]
		if c == nil {
			c = &counts{}
			responses[rk] = c
		}
		c.attempts += sign
		if f.Success != nil && *f.Success {
			c.correct += sign
		} else if f.Success != nil {
			c.wrong += sign
		}
		learners[learnerKey{f.Course, f.Question, f.Learner}] += sign
	}
	if len(responses) == 0 {
		return nil
	}
	var rargs, largs []any
	for k, c := range responses {
		rargs = append(rargs, k.course, k.question, k.response, c.attempts, c.correct, c.wrong)
	}
	for k, n := range learners {
		largs = append(largs, k.course, k.question, k.learner, n)
	}
	for _, u := range []struct {
		table, conflict string
		cols            int
		args            []any
	}{
		{`progress_question_responses`, `(course_id, question_id, response) DO UPDATE SET
			attempts = progress_question_responses.attempts + excluded.attempts,
			correct = progress_question_responses.correct + excluded.correct,
			wrong = progress_question_responses.wrong + excluded.wrong`, 6, rargs},
		{`progress_question_learners`, `(course_id, question_id, learner) DO UPDATE SET
			attempts = progress_question_learners.attempts + excluded.attempts`, 4, largs},
	} {
		err := chunks(len(u.args)/u.cols, t.s.d.maxParams/u.cols, func(lo, hi int) error {
			q := `INSERT INTO ` + u.table + ` VALUES ` + valuesRows(hi-lo, u.cols) + ` ON CONFLICT ` + u.conflict
			_, err := t.tx.ExecContext(ctx, t.tx.Rebind(q), u.args[u.cols*lo:u.cols*hi]...)
			return err
		})
		if err != nil {
			return fmt.Errorf("count answers: %w", err)
		}
	}
	if sign < 0 {
		// Only counts that went down can reach zero.
		for k := range responses {
			if _, err := t.tx.ExecContext(ctx, t.tx.Rebind(`DELETE FROM progress_question_responses
				WHERE course_id = ? AND question_id = ? AND response = ? AND attempts <= 0`), k.course, k.question, k.response); err != nil {
				return fmt.Errorf("count answers: %w", err)
			}
		}
		for k := range learners {
			if _, err := t.tx.ExecContext(ctx, t.tx.Rebind(`DELETE FROM progress_question_learners
				WHERE course_id = ? AND question_id = ? AND learner = ? AND attempts <= 0`), k.course, k.question, k.learner); err != nil {
				return fmt.Errorf("count answers: %w", err)
			}
		}
	}
	return nil
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func (t factTx) PutProgress(ctx context.Context, keys []progress.Key, learners, regs []progress.Progress) error {
	err := chunks(len(keys), keyChunk, func(lo, hi int) error {
		in, args := keysIn(keys[lo:hi])
		for _, table := range []string{"progress_learners", "progress_registrations", "progress_lessons", "progress_groups", "progress_authorities"} {
			if _, err := t.tx.ExecContext(ctx, t.tx.Rebind(`DELETE FROM `+table+` WHERE `+in), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete progress: %w", err)
	}
	ls, rs, err := progressRows(learners, regs)
	if err != nil {
		return fmt.Errorf("insert progress: %w", err)
	}
	for _, k := range keys {
		t.written[k] = nil
	}
	maps.Copy(t.written, foldedOf(learners, regs))
	lessons, groups, authorities := listRows(learners, nil)
	for _, ins := range []struct {
		table string
		cols  int
		args  []any
	}{
		{learnersTable, 13, ls},
		{registrationsTable, 13, rs},
		{lessonsTable, 4, lessons},
		{groupsTable, 3, groups},
		{authoritiesTable, 3, authorities},
	} {
		if err := t.s.insertRows(ctx, t.tx, ins.table, ins.cols, ins.args); err != nil {
			return fmt.Errorf("insert progress: %w", err)
		}
	}
	return nil
}

// ExtendProgress upserts the learners' and registrations' rows and adds
// the lessons and groups that folded did not have; see progress.FactTx.
func (t factTx) ExtendProgress(ctx context.Context, learners, regs []progress.Progress, folded map[progress.Key]progress.Folded) error {
	if len(learners) == 0 {
		return nil
	}
	ls, rs, err := progressRows(learners, regs)
	if err != nil {
		return fmt.Errorf("extend progress: %w", err)
	}
	maps.Copy(t.written, foldedOf(learners, regs))
	lessons, groups, authorities := listRows(learners, folded)
	for _, u := range []struct {
		table, conflict string
		cols            int
		args            []any
	}{
		{learnersTable, `(course_id, learner) DO UPDATE SET name = excluded.name, status = excluded.status,
			completed = excluded.completed, lessons_viewed = excluded.lessons_viewed, score = excluded.score,
			latest_score = excluded.latest_score, attempts = excluded.attempts, registrations = excluded.registrations,
			time_spent_ms = excluded.time_spent_ms, first_seen = excluded.first_seen, last_seen = excluded.last_seen`, 13, ls},
		{registrationsTable, `(course_id, learner, registration) DO UPDATE SET status = excluded.status,
			completed = excluded.completed, lessons_viewed = excluded.lessons_viewed, score = excluded.score,
			latest_score = excluded.latest_score, attempts = excluded.attempts, time_spent_ms = excluded.time_spent_ms,
			first_seen = excluded.first_seen, last_seen = excluded.last_seen, fold_state = excluded.fold_state`, 13, rs},
		{lessonsTable, `DO NOTHING`, 4, lessons},
		{groupsTable, `DO NOTHING`, 3, groups},
		{authoritiesTable, `DO NOTHING`, 3, authorities},
	} {
		err := chunks(len(u.args)/u.cols, t.s.d.maxParams/u.cols, func(lo, hi int) error {
			q := `INSERT INTO ` + u.table + ` VALUES ` + valuesRows(hi-lo, u.cols) + ` ON CONFLICT ` + u.conflict
			_, err := t.tx.ExecContext(ctx, t.tx.Rebind(q), u.args[u.cols*lo:u.cols*hi]...)
			return err
		})
		if err != nil {
			return fmt.Errorf("extend progress: %w", err)
		}
	}
	return nil
}

// listRows returns the rows of lessonsTable, groupsTable and
// authoritiesTable for learners, leaving out those the progress before
// them (folded, by key; nil for none) already has: lessons viewed, groups
// and authorities are only ever added to.
func listRows(learners []progress.Progress, folded map[progress.Key]progress.Folded) (lessons, groups, authorities []any) {
	for _, p := range learners {
		before := folded[progress.Key{Course: p.Course, Learner: p.Learner}].Learner
		for id, at := range p.Lessons {
			if _, ok := before.Lessons[id]; !ok {
				lessons = append(lessons, p.Course, p.Learner, id, timestamp{at})
			}
		}
		for _, g := range p.Groups {
			if !slices.Contains(before.Groups, g) {
				groups = append(groups, p.Course, g, p.Learner)
			}
		}
		for _, a := range p.Authorities {
			if !slices.Contains(before.Authorities, a) {
				authorities = append(authorities, p.Course, a, p.Learner)
			}
		}
	}
	return lessons, groups, authorities
}

// The progress tables with the columns progressRows fills.
const (
	learnersTable = `progress_learners (course_id, learner, name, status, completed, lessons_viewed, score, latest_score, attempts,
			registrations, time_spent_ms, first_seen, last_seen)`
	registrationsTable = `progress_registrations (course_id, learner, registration, status, completed, lessons_viewed, score, latest_score,
			attempts, time_spent_ms, first_seen, last_seen, fold_state)`
	lessonsTable     = `progress_lessons (course_id, learner, lesson_id, first_viewed)`
	groupsTable      = `progress_groups (course_id, grp, learner)`
	authoritiesTable = `progress_authorities (course_id, authority, learner)`
)

// progressRows returns the rows of learnersTable and registrationsTable.
func progressRows(learners, regs []progress.Progress) (ls, rs []any, err error) {
	for _, p := range learners {
		ls = append(ls, p.Course, p.Learner, p.Name, string(p.Status), p.Completed, len(p.Lessons), nullFloat(p.Score),
			nullFloat(p.LatestScore), p.Attempts, p.Registrations, p.TimeSpent.Milliseconds(), timestamp{p.FirstSeen}, timestamp{p.LastSeen})
	}
	for _, p := range regs {
		state, err := json.Marshal(foldState{Lessons: p.Lessons, Session: p.Session})
		if err != nil {
			return nil, nil, err
		}
		rs = append(rs, p.Course, p.Learner, p.Registration, string(p.Status), p.Completed, len(p.Lessons), nullFloat(p.Score),
			nullFloat(p.LatestScore), p.Attempts, p.TimeSpent.Milliseconds(), timestamp{p.FirstSeen}, timestamp{p.LastSeen}, string(state))
	}
	return ls, rs, nil
}

// foldState is what progress_registrations.fold_state keeps of a
// registration's progress for progress.Extend.
type foldState struct {
	Lessons map[string]time.Time `json:"lessons,omitempty"`
	Session progress.Session     `json:"session"`
}

// Folded reads the stored progress of the keys, from the cache of what this
// node wrote where it holds them; see progress.FactTx.
func (t factTx) Folded(ctx context.Context, keys []progress.Key) (map[progress.Key]progress.Folded, error) {
	out, keys := t.cache.get(t.version, keys)
	err := chunks(len(keys), keyChunk, func(lo, hi int) error {
		in, args := keysIn(keys[lo:hi])
		err := t.eachRow(ctx, `SELECT course_id, learner, name, status, completed, score, latest_score, attempts, registrations,
			time_spent_ms, first_seen, last_seen FROM progress_learners WHERE `+in, args, func(rows *sql.Rows) error {
			var (
				p             progress.Progress
				status        string
				score, latest sql.NullFloat64
				ms            int64
				first, last   timestamp
			)
			if err := rows.Scan(&p.Course, &p.Learner, &p.Name, &status, &p.Completed, &score, &latest, &p.Attempts,
				&p.Registrations, &ms, &first, &last); err != nil {
				return err
			}
			p.Status, p.TimeSpent, p.FirstSeen, p.LastSeen = progress.Status(status), time.Duration(ms)*time.Millisecond, first.Time, last.Time
			p.Score, p.LatestScore = floatPtr(score), floatPtr(latest)
			p.Lessons = map[string]time.Time{}
			out[progress.Key{Course: p.Course, Learner: p.Learner}] = progress.Folded{Learner: p, Complete: true}
			return nil
		})
		if err != nil {
			return err
		}
		err = t.eachRow(ctx, `SELECT course_id, learner, lesson_id, first_viewed FROM progress_lessons WHERE `+in, args, func(rows *sql.Rows) error {
			var (
				k      progress.Key
				lesson string
				at     timestamp
			)
			if err := rows.Scan(&k.Course, &k.Learner, &lesson, &at); err != nil {
				return err
			}
			if fd, ok := out[k]; ok {
				fd.Learner.Lessons[lesson] = at.Time
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A learner's groups and authorities, sorted as Fold sorts them.
		for _, list := range []struct {
			query string
			add   func(p *progress.Progress, v string)
		}{
			{`SELECT course_id, learner, grp FROM progress_groups WHERE ` + in + ` ORDER BY grp`,
				func(p *progress.Progress, v string) { p.Groups = append(p.Groups, v) }},
			{`SELECT course_id, learner, authority FROM progress_authorities WHERE ` + in + ` ORDER BY authority`,
				func(p *progress.Progress, v string) { p.Authorities = append(p.Authorities, v) }},
		} {
			err = t.eachRow(ctx, list.query, args, func(rows *sql.Rows) error {
				var (
					k progress.Key
					v string
				)
				if err := rows.Scan(&k.Course, &k.Learner, &v); err != nil {
					return err
				}
				fd := out[k]
				list.add(&fd.Learner, v)
				out[k] = fd
				return nil
			})
			if err != nil {
				return err
			}
		}
		return t.eachRow(ctx, `SELECT course_id, learner, registration, status, completed, score, latest_score, attempts,
			time_spent_ms, first_seen, last_seen, fold_state FROM progress_registrations WHERE `+in+` ORDER BY registration`, args, func(rows *sql.Rows) error {
			var (
				p             progress.Progress
				status        string
				score, latest sql.NullFloat64
				ms            int64
				first, last   timestamp
				state         sql.NullString
			)
			if err := rows.Scan(&p.Course, &p.Learner, &p.Registration, &status, &p.Completed, &score, &latest, &p.Attempts,
				&ms, &first, &last, &state); err != nil {
				return err
			}
			p.Status, p.TimeSpent, p.FirstSeen, p.LastSeen = progress.Status(status), time.Duration(ms)*time.Millisecond, first.Time, last.Time
			p.Score, p.LatestScore, p.Registrations = floatPtr(score), floatPtr(latest), 1
			k := progress.Key{Course: p.Course, Learner: p.Learner}
			fd := out[k]
			var fs foldState
			if !state.Valid || json.Unmarshal([]byte(state.String), &fs) != nil {
				fd.Complete = false
			}
			p.Lessons, p.Session = fs.Lessons, fs.Session
			if p.Lessons == nil {
				p.Lessons = map[string]time.Time{}
			}
			fd.Registrations = append(fd.Registrations, p)
			out[k] = fd
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	return out, nil
}

// eachRow runs the query (with ? placeholders) in the transaction and calls
// scan for every row.
func (t factTx) eachRow(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := t.tx.QueryContext(ctx, t.tx.Rebind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}
