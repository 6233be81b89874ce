package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// Group commit: writer goroutines (one on SQLite, which has one writer at a
// time; a few on PostgreSQL) take the InsertStatements calls that are
// waiting and store them in one transaction: first as one batch, and if
// that fails, each call inside its own savepoint, so that a call that fails
// (a conflict, voiding a voiding statement) is rolled back alone and the
// others share one commit and one fsync. Sixteen clients that each send one
// statement then cost about one transaction, not sixteen. A call returns
// only after the commit. The groups live only in this process: nothing
// another LRS node needs.

// Bounds on one group: statements beyond these wait for the next one.
const (
	groupMaxCalls      = 64
	groupMaxStatements = 2000
)

// insertCall is one InsertStatements call waiting for the writer.
type insertCall struct {
	stmts []lrs.Statement
	same  sameFunc
	done  chan error // buffered: the writer never waits for the caller
}

// errClosed is what a call gets after Close.
var errClosed = errors.New("store closed")

// startWriter starts n writer goroutines; stopWriter ends them once the
// groups they are storing are committed.
func (s *Store) startWriter(n int) {
	s.calls = make(chan *insertCall)
	s.quit = make(chan struct{})
	for range n {
		s.writers.Go(s.writer)
	}
}

func (s *Store) stopWriter() {
	if s.quit != nil {
		close(s.quit)
		s.writers.Wait()
		s.quit = nil
	}
}

// insertGrouped hands the call to the writer and waits for its result. If
// ctx ends first it returns ctx's error; the statements may still be stored,
// which a client's retry with the same content finds harmless.
func (s *Store) insertGrouped(ctx context.Context, stmts []lrs.Statement, same func(stored, sent []byte) bool) error {
	c := &insertCall{
		stmts: stmts,
		same:  func(_ int, stored, sent []byte) bool { return same(stored, sent) },
		done:  make(chan error, 1),
	}
	select {
	case s.calls <- c:
	case <-s.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-c.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) writer() {
	for {
		var c *insertCall
		select {
		case c = <-s.calls:
		case <-s.quit:
			return
		}
		group := []*insertCall{c}
		n := len(c.stmts)
		// Take what is waiting; let callers that are about to send run
		// once before giving up on them.
		yielded := false
	more:
		for len(group) < groupMaxCalls && n < groupMaxStatements {
			select {
			case c := <-s.calls:
				group = append(group, c)
				n += len(c.stmts)
			default:
				if yielded {
					break more
				}
				yielded = true
				runtime.Gosched()
			}
		}
		s.commitGroup(group)
	}
}

// commitGroup stores the calls of group in one transaction and tells each
// its result. It stores all their statements as one batch, which costs what
// one call does, and without savepoints: inside a savepoint SQLite keeps a
// copy of every page the transaction changes, which for a large group costs
// as much time and memory as the inserts. Only when that batch fails (a
// conflict, voiding a voiding statement: rare) does it roll back and store
// the calls again each in its own savepoint (commitEach), so that only the
// calls at fault fail. The transaction does not use any caller's context:
// one caller giving up must not undo the others.
func (s *Store) commitGroup(group []*insertCall) {
	ctx := context.Background()
	voiding := slices.ContainsFunc(group, func(c *insertCall) bool {
		return slices.ContainsFunc(c.stmts, func(st lrs.Statement) bool { return st.VoidsID != "" })
	})
	batch := group[0]
	if len(group) > 1 {
		batch = mergeCalls(group)
	}
	var stored []lrs.Statement
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.d.lockVoiding(ctx, tx, voiding); err != nil {
			return err
		}
		var err error
		stored, err = s.insertStatements(ctx, tx, batch.stmts, batch.same)
		return err
	})
	if err != nil && len(group) > 1 {
		s.commitEach(ctx, group, voiding)
		return
	}
	if err == nil {
		s.recent.add(stored)
	}
	for _, c := range group {
		c.done <- err
	}
}

// commitEach stores the calls of group in one transaction, each call in its
// own savepoint, and tells each its result.
func (s *Store) commitEach(ctx context.Context, group []*insertCall, voiding bool) {
	errs := make([]error, len(group))
	var stored []lrs.Statement
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		clear(errs)
		stored = stored[:0]
		if err := s.d.lockVoiding(ctx, tx, voiding); err != nil {
			return err
		}
		for i, c := range group {
			got, callErr, err := s.insertSavepoint(ctx, tx, c)
			if err != nil {
				return err
			}
			errs[i] = callErr
			stored = append(stored, got...)
		}
		return nil
	})
	if err == nil {
		s.recent.add(stored)
	}
	for i, c := range group {
		if err != nil {
			c.done <- err
		} else {
			c.done <- errs[i]
		}
	}
}

// mergeCalls makes one call of the statements of group, each compared with
// its own call's same.
func mergeCalls(group []*insertCall) *insertCall {
	m := &insertCall{}
	var owner []sameFunc
	for _, c := range group {
		m.stmts = append(m.stmts, c.stmts...)
		for range c.stmts {
			owner = append(owner, c.same)
		}
	}
	m.same = func(i int, stored, sent []byte) bool { return owner[i](i, stored, sent) }
	return m
}

// insertSavepoint runs one call's inserts inside a savepoint and rolls back
// to it when they fail, returning their error as callErr; else it returns
// the statements it stored. txErr is an error that leaves the transaction
// unusable.
func (s *Store) insertSavepoint(ctx context.Context, tx *sqlx.Tx, c *insertCall) (stored []lrs.Statement, callErr, txErr error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT insert_call`); err != nil {
		return nil, nil, fmt.Errorf("savepoint: %w", err)
	}
	stored, callErr = s.insertStatements(ctx, tx, c.stmts, c.same)
	if callErr != nil {
		stored = nil
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO insert_call`); err != nil {
			return nil, nil, fmt.Errorf("roll back to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `RELEASE insert_call`); err != nil {
		return nil, nil, fmt.Errorf("release savepoint: %w", err)
	}
	return stored, callErr, nil
}
