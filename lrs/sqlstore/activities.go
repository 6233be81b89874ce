package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

var _ lrs.ActivityStore = (*Store)(nil)

// ActivityDefinition returns the activity's canonical definition; see
// lrs.ActivityStore.
func (s *Store) ActivityDefinition(ctx context.Context, id string) ([]byte, time.Time, error) {
	var (
		def     []byte
		updated timestamp
	)
	err := s.r.QueryRowContext(ctx, s.r.Rebind(`SELECT definition, updated FROM activities WHERE id = ?`), id).Scan(&def, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, time.Time{}, fmt.Errorf("activity definition: %w", lrs.ErrNotFound)
	case err != nil:
		return nil, time.Time{}, fmt.Errorf("activity definition: %w", err)
	}
	return def, updated.Time, nil
}

// AgentNames returns the names learned for the agent; see lrs.ActivityStore.
func (s *Store) AgentNames(ctx context.Context, ifi string) ([]string, error) {
	var names []string
	if err := s.r.SelectContext(ctx, &names, s.r.Rebind(`SELECT name FROM agent_names WHERE ifi = ? ORDER BY name`), ifi); err != nil {
		return nil, fmt.Errorf("agent names: %w", err)
	}
	return names, nil
}

// learn stores what the statements this call stored (seqs[i] != 0) tell
// of activities and agents, in the statements' transaction. It costs
// nothing for statements that tell nothing. A batch's definitions of one
// activity are merged first, so each activity costs one read of its stored
// definition and, only when that changes, one write.
func (s *Store) learn(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, seqs []int64) error {
	var (
		defs  map[string][]byte
		names map[lrs.AgentName]bool
	)
	for i, st := range stmts {
		if seqs[i] == 0 || len(st.Definitions) == 0 && len(st.AgentNames) == 0 {
			continue
		}
		if defs == nil {
			defs, names = map[string][]byte{}, map[lrs.AgentName]bool{}
		}
		for _, d := range st.Definitions {
			prev, ok := defs[d.ActivityID]
			if !ok {
				defs[d.ActivityID] = d.JSON
				continue
			}
			if bytes.Equal(prev, d.JSON) {
				continue // the usual case: one course sends one definition
			}
			merged, err := lrs.MergeDefinition(prev, d.JSON)
			if err != nil {
				return fmt.Errorf("learn activity %s: %w", d.ActivityID, err)
			}
			defs[d.ActivityID] = merged
		}
		for _, n := range st.AgentNames {
			if !s.known.has(n) {
				names[n] = true
			}
		}
	}
	if defs == nil {
		return nil
	}
	if err := s.learnDefinitions(ctx, tx, defs, stmts[0].Stored); err != nil {
		return err
	}
	// Sorted, so that two transactions adding the same names wait for each
	// other instead of deadlocking.
	pairs := slices.SortedFunc(maps.Keys(names), func(a, b lrs.AgentName) int {
		if c := cmp.Compare(a.IFI, b.IFI); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	args := make([]any, 0, 2*len(pairs))
	for _, p := range pairs {
		args = append(args, p.IFI, p.Name)
	}
	return chunks(len(pairs), s.d.maxParams/2, func(lo, hi int) error {
		q := `INSERT INTO agent_names (ifi, name) VALUES ` + valuesRows(hi-lo, 2) +
			` ON CONFLICT (ifi, name) DO NOTHING RETURNING ifi, name`
		rows, err := tx.QueryContext(ctx, tx.Rebind(q), args[2*lo:2*hi]...)
		if err != nil {
			return fmt.Errorf("learn agent names: %w", err)
		}
		defer rows.Close()
		inserted := map[lrs.AgentName]bool{}
		for rows.Next() {
			var n lrs.AgentName
			if err := rows.Scan(&n.IFI, &n.Name); err != nil {
				return fmt.Errorf("learn agent names: %w", err)
			}
			inserted[n] = true
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("learn agent names: %w", err)
		}
		// The others were there, committed: ON CONFLICT waits for a
		// transaction inserting the same name to end.
		for _, n := range pairs[lo:hi] {
			if !inserted[n] {
				s.known.add(n)
			}
		}
		return nil
	})
}

// knownNames remembers agent names this process has found stored, so that
// the names statements keep repeating cost no query. Names are only ever
// added, so one found committed stays stored; one a transaction inserts is
// remembered when a later transaction finds it, since the first may yet
// roll back.
type knownNames struct {
	mu sync.Mutex
	m  map[lrs.AgentName]struct{}
}

// maxKnownNames bounds the memory knownNames takes; past it, it starts
// again empty, which costs only queries.
const maxKnownNames = 100000

func (k *knownNames) has(n lrs.AgentName) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[n]
	return ok
}

func (k *knownNames) add(n lrs.AgentName) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || len(k.m) >= maxKnownNames {
		k.m = make(map[lrs.AgentName]struct{})
	}
	k.m[n] = struct{}{}
}

// learnDefinitions merges defs into the stored definitions. A definition
// not stored yet is inserted; a stored one that the merge changes is
// replaced on condition that it is still what was read, since on
// PostgreSQL another transaction may be merging into it too. One that lost
// that race is read and merged again.
func (s *Store) learnDefinitions(ctx context.Context, tx *sqlx.Tx, defs map[string][]byte, now time.Time) error {
	ids := slices.Sorted(maps.Keys(defs))
	for attempt := 0; len(ids) > 0; attempt++ {
		if attempt == maxAttempts {
			return fmt.Errorf("learn activities: definitions of %d activities kept changing", len(ids))
		}
		stored, err := s.storedDefinitions(ctx, tx, ids)
		if err != nil {
			return err
		}
		var inserts []any
		var retry []string
		for _, id := range ids {
			old, ok := stored[id]
			if !ok {
				inserts = append(inserts, id, string(defs[id]), timestamp{now})
				continue
			}
			if bytes.Equal(old, defs[id]) {
				continue // both are in the one stored form
			}
			merged, err := lrs.MergeDefinition(old, defs[id])
			if err != nil {
				return fmt.Errorf("learn activity %s: %w", id, err)
			}
			if bytes.Equal(merged, old) {
				continue
			}
			q := `UPDATE activities SET definition = ?, updated = ? WHERE id = ? AND definition = ?`
			res, err := tx.ExecContext(ctx, tx.Rebind(q), string(merged), timestamp{now}, id, string(old))
			if err != nil {
				return fmt.Errorf("learn activity %s: %w", id, err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				retry = append(retry, id)
			}
		}
		err = chunks(len(inserts)/3, s.d.maxParams/3, func(lo, hi int) error {
			q := `INSERT INTO activities (id, definition, updated) VALUES ` + valuesRows(hi-lo, 3) +
				` ON CONFLICT (id) DO NOTHING RETURNING id`
			var added []string
			if err := tx.SelectContext(ctx, &added, tx.Rebind(q), inserts[3*lo:3*hi]...); err != nil {
				return fmt.Errorf("learn activities: %w", err)
			}
			for i := lo; i < hi; i++ {
				if id := inserts[3*i].(string); !slices.Contains(added, id) {
					retry = append(retry, id) // another transaction stored it first
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.Sort(retry)
		ids = retry
	}
	return nil
}

// storedDefinitions reads the stored definitions of ids.
func (s *Store) storedDefinitions(ctx context.Context, tx *sqlx.Tx, ids []string) (map[string][]byte, error) {
	out, err := s.valuesByID(ctx, tx, "activities", "definition", ids)
	if err != nil {
		return nil, fmt.Errorf("learn activities: read definitions: %w", err)
	}
	return out, nil
}
