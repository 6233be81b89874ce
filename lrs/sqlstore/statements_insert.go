package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// insertColumns are the statements columns a row is inserted with, in the
// order insertStatementRows passes them.
const insertColumns = `id, stored, statement, actor_ifi, verb_id, object_type, object_id, registration, voids_id, authority_ifi`

const insertColumnCount = 10

// InsertStatements stores the statements in one transaction, which it may
// share with concurrent calls (see group.go): one multi-row INSERT ... ON
// CONFLICT DO NOTHING RETURNING per chunk tells which ids were new; the
// others are compared with same in one query. Then the index rows, voiding
// and attachments, each in multi-row statements.
func (s *Store) InsertStatements(ctx context.Context, stmts []lrs.Statement, same func(stored, sent []byte) bool) error {
	if len(stmts) == 0 {
		return nil
	}
	if same == nil {
		same = bytes.Equal
	}
	if err := s.insertGrouped(ctx, stmts, same); err != nil {
		return fmt.Errorf("insert statements: %w", err)
	}
	return nil
}

// sameFunc is a same function that also gets the index in stmts of the
// statement sent, so that calls grouped into one batch keep their own.
type sameFunc func(i int, stored, sent []byte) bool

// insertStatements stores stmts in tx and returns those it inserted, as the
// progress worker reads them (see recent.go); the caller has taken the
// voiding lock.
func (s *Store) insertStatements(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, same sameFunc) ([]lrs.Statement, error) {
	inserted, err := s.insertStatementRows(ctx, tx, stmts)
	if err != nil {
		return nil, fmt.Errorf("insert rows: %w", err)
	}
	// seqs[i] is the seq of stmts[i] when this call stored it, else 0. The
	// first of two statements with one id claims the row.
	seqs := make([]int64, len(stmts))
	var existing []int
	for i, st := range stmts {
		if seq, ok := inserted[st.ID]; ok {
			seqs[i] = seq
			delete(inserted, st.ID)
		} else {
			existing = append(existing, i)
		}
	}
	if err := s.compareExisting(ctx, tx, stmts, existing, same); err != nil {
		return nil, err
	}
	if err := s.insertIndexRows(ctx, tx, stmts, seqs); err != nil {
		return nil, err
	}
	if err := s.insertRefs(ctx, tx, stmts, seqs); err != nil {
		return nil, err
	}
	voided, err := s.void(ctx, tx, stmts, seqs)
	if err != nil {
		return nil, err
	}
	if err := s.insertAttachments(ctx, tx, stmts, seqs); err != nil {
		return nil, err
	}
	if err := s.learn(ctx, tx, stmts, seqs); err != nil {
		return nil, err
	}
	return s.recent.committed(stmts, seqs, voided), nil
}

// insertStatementRows inserts the statements whose ids are not stored yet
// and returns their seqs by id. ON CONFLICT DO NOTHING rather than a check
// first: on PostgreSQL a concurrent transaction inserting the same id makes
// this one wait for its outcome instead of failing.
func (s *Store) insertStatementRows(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement) (map[string]int64, error) {
	inserted := make(map[string]int64, len(stmts))
	err := chunks(len(stmts), s.d.maxParams/insertColumnCount, func(lo, hi int) error {
		q := `INSERT INTO statements (` + insertColumns + `) VALUES ` + valuesRows(hi-lo, insertColumnCount) +
			` ON CONFLICT (id) DO NOTHING RETURNING id, seq`
		args := make([]any, 0, (hi-lo)*insertColumnCount)
		for _, st := range stmts[lo:hi] {
			objectType := st.ObjectType
			if objectType == "" {
				objectType = "Activity" // xAPI's default objectType
			}
			args = append(args, st.ID, timestamp{st.Stored}, string(st.JSON),
				nullString(st.ActorIFI), st.VerbID, objectType, st.ObjectID,
				nullString(st.Registration), nullString(st.VoidsID), nullString(st.AuthorityIFI))
		}
		rows, err := tx.QueryContext(ctx, tx.Rebind(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id  string
				seq int64
			)
			if err := rows.Scan(&id, &seq); err != nil {
				return err
			}
			inserted[id] = seq
		}
		return rows.Err()
	})
	return inserted, err
}

// valuesByID reads column of the rows of table with those ids.
func (s *Store) valuesByID(ctx context.Context, tx *sqlx.Tx, table, column string, ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(ids))
	err := chunks(len(ids), s.d.maxParams, func(lo, hi int) error {
		args := make([]any, 0, hi-lo)
		for _, id := range ids[lo:hi] {
			args = append(args, id)
		}
		q := `SELECT id, ` + column + ` FROM ` + table + ` WHERE id IN (` + placeholders(hi-lo) + `)`
		rows, err := tx.QueryContext(ctx, tx.Rebind(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id    string
				value []byte
			)
			if err := rows.Scan(&id, &value); err != nil {
				return err
			}
			out[id] = value
		}
		return rows.Err()
	})
	return out, err
}

// compareExisting fails with lrs.ErrConflict unless each statement at the
// indexes in existing is the same as the one stored under its id.
func (s *Store) compareExisting(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, existing []int, same sameFunc) error {
	if len(existing) == 0 {
		return nil
	}
	ids := make([]string, len(existing))
	for k, i := range existing {
		ids[k] = stmts[i].ID
	}
	stored, err := s.valuesByID(ctx, tx, "statements", "statement", ids)
	if err != nil {
		return fmt.Errorf("read stored statements: %w", err)
	}
	for _, i := range existing {
		st := stmts[i]
		json, ok := stored[st.ID]
		if !ok {
			return fmt.Errorf("statement %s was neither inserted nor found", st.ID)
		}
		if !same(i, json, st.JSON) {
			return fmt.Errorf("statement %s: %w", st.ID, lrs.ErrConflict)
		}
	}
	return nil
}

// insertIndexRows writes what the agent, related_agents and
// related_activities filters match for the statements this call stored. The
// actor and the object are added in case the caller left them out.
func (s *Store) insertIndexRows(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, seqs []int64) error {
	var agents, activities []any // rows of ifi, stored, seq, direct and of activity_id, stored, seq
	for i, st := range stmts {
		if seqs[i] == 0 {
			continue
		}
		stored := timestamp{st.Stored}
		direct := append(slices.Clone(st.DirectAgents), st.ActorIFI)
		acts := slices.Clone(st.RelatedActivities)
		switch st.ObjectType {
		case "Agent", "Group":
			direct = append(direct, st.ObjectID)
		case "Activity", "":
			acts = append(acts, st.ObjectID)
		}
		for _, ifi := range distinct(append(slices.Clone(st.RelatedAgents), direct...)) {
			agents = append(agents, ifi, stored, seqs[i], slices.Contains(direct, ifi))
		}
		for _, id := range distinct(acts) {
			activities = append(activities, id, stored, seqs[i])
		}
	}
	if err := s.insertRows(ctx, tx, `statement_agents (ifi, stored, seq, direct)`, 4, agents); err != nil {
		return fmt.Errorf("index agents: %w", err)
	}
	if err := s.insertRows(ctx, tx, `statement_activities (activity_id, stored, seq)`, 3, activities); err != nil {
		return fmt.Errorf("index activities: %w", err)
	}
	return nil
}

// distinct sorts values and drops duplicates and empty strings.
func distinct(values []string) []string {
	slices.Sort(values)
	values = slices.Compact(values)
	if len(values) > 0 && values[0] == "" {
		values = values[1:]
	}
	return values
}

// insertRows inserts args, rows of cols values, with multi-row INSERTs.
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, table string, cols int, args []any) error {
	return chunks(len(args)/cols, s.d.maxParams/cols, func(lo, hi int) error {
		q := `INSERT INTO ` + table + ` VALUES ` + valuesRows(hi-lo, cols)
		_, err := tx.ExecContext(ctx, tx.Rebind(q), args[cols*lo:cols*hi]...)
		return err
	})
}

// void applies the voiding statements this call stored, after checking that
// none voids a voiding statement, and marks voided the statements it stored
// whose ids an earlier voiding statement named, which it returns. A voiding
// statement is never voided that way: voiding one is not allowed. Every
// query is a lookup on a unique key.
func (s *Store) void(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, seqs []int64) (map[string]bool, error) {
	var targets, plain []any
	voider := map[string]string{}
	for i, st := range stmts {
		switch {
		case seqs[i] == 0:
		case st.VoidsID != "":
			if _, dup := voider[st.VoidsID]; !dup {
				targets = append(targets, st.VoidsID)
				voider[st.VoidsID] = st.ID
			}
		default:
			plain = append(plain, st.ID)
		}
	}
	err := chunks(len(targets), s.d.maxParams, func(lo, hi int) error {
		var voidingID string
		q := `SELECT id FROM statements WHERE id IN (` + placeholders(hi-lo) + `) AND voids_id IS NOT NULL LIMIT 1`
		switch err := tx.GetContext(ctx, &voidingID, tx.Rebind(q), targets[lo:hi]...); {
		case err == nil:
			return fmt.Errorf("statement %s voids %s: %w", voider[voidingID], voidingID, lrs.ErrVoidingVoid)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check voiding targets: %w", err)
		}
		q = `INSERT INTO voided_ids (id) VALUES ` + valuesRows(hi-lo, 1) + ` ON CONFLICT (id) DO NOTHING`
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), targets[lo:hi]...); err != nil {
			return fmt.Errorf("record voided ids: %w", err)
		}
		return s.setVoided(ctx, tx, targets[lo:hi])
	})
	if err != nil {
		return nil, err
	}
	voided := map[string]bool{}
	err = chunks(len(plain), s.d.maxParams, func(lo, hi int) error {
		var late []string
		q := `SELECT id FROM voided_ids WHERE id IN (` + placeholders(hi-lo) + `)`
		if err := tx.SelectContext(ctx, &late, tx.Rebind(q), plain[lo:hi]...); err != nil {
			return fmt.Errorf("check voided ids: %w", err)
		}
		if len(late) == 0 {
			return nil
		}
		args := make([]any, len(late))
		for i, id := range late {
			args[i] = id
			voided[id] = true
		}
		return s.setVoided(ctx, tx, args)
	})
	return voided, err
}

// setVoided marks voided the statements with those ids, unless they are
// voiding statements.
func (s *Store) setVoided(ctx context.Context, tx *sqlx.Tx, ids []any) error {
	q := `UPDATE statements SET voided = TRUE WHERE id IN (` + placeholders(len(ids)) + `) AND voids_id IS NULL`
	if _, err := tx.ExecContext(ctx, tx.Rebind(q), ids...); err != nil {
		return fmt.Errorf("void statements: %w", err)
	}
	return nil
}

// insertAttachments stores the payloads of the statements this call
// stored; a payload already stored under its hash is kept.
func (s *Store) insertAttachments(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, seqs []int64) error {
	byHash := map[string]lrs.Attachment{}
	for i, st := range stmts {
		if seqs[i] == 0 {
			continue
		}
		for _, a := range st.Attachments {
			if _, dup := byHash[a.SHA2]; !dup {
				byHash[a.SHA2] = a
			}
		}
	}
	if len(byHash) == 0 {
		return nil
	}
	// Sorted, so that two transactions storing the same payloads wait for
	// each other instead of deadlocking.
	hashes := slices.Sorted(maps.Keys(byHash))
	const maxBytes = 16 << 20 // per INSERT, to bound the statement's size
	var (
		args []any
		size int
	)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := `INSERT INTO attachments (sha2, content_type, data) VALUES ` + valuesRows(len(args)/3, 3) +
			` ON CONFLICT (sha2) DO NOTHING`
		_, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
		args, size = args[:0], 0
		return err
	}
	for _, h := range hashes {
		a := byHash[h]
		if len(args)+3 > s.d.maxParams || (size > 0 && size+len(a.Data) > maxBytes) {
			if err := flush(); err != nil {
				return fmt.Errorf("insert attachments: %w", err)
			}
		}
		data := a.Data
		if data == nil {
			data = []byte{} // an empty payload, not NULL
		}
		args = append(args, a.SHA2, a.ContentType, data)
		size += len(a.Data)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("insert attachments: %w", err)
	}
	return nil
}
