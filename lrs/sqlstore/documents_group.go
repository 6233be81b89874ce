package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Document writes on SQLite share transactions. Each is one statement that
// the database applies atomically and that fails alone without ending the
// transaction, so a writer goroutine can run every write waiting into one
// transaction: sixteen course players saving their state at once cost one
// commit, one WAL sync, instead of sixteen in a queue. Each write still
// sees the ones before it in the group, so conditional writes keep their
// meaning. PostgreSQL commits several connections' transactions together
// by itself; its document requests go in batches for another reason (see
// documents_batch.go).

// docGroupMax bounds the writes of one transaction.
const docGroupMax = 64

// docWrite is one write statement waiting for the document writer.
type docWrite struct {
	stmt *sql.Stmt
	args []any
	n    int64 // rows affected
	err  error
	done chan struct{}
}

// docWriter holds the document queries prepared once, and on SQLite runs
// the document writes.
type docWriter struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt // by pool ("r", "w" or "b" for docsDB) and query
	// writes, quit and done are nil on PostgreSQL.
	writes chan *docWrite
	quit   chan struct{}
	done   chan struct{}
	// batch, on PostgreSQL only, runs the document reads and writes.
	batch *docBatcher
	stop  sync.Once
}

// startDocWriter starts the document writer; stopDocWriter stops it once
// the group it is writing is committed, and closes the statements.
func (s *Store) startDocWriter() {
	s.docs = &docWriter{stmts: map[string]*sql.Stmt{}}
	if s.d.name == "sqlite" {
		s.docs.writes, s.docs.quit, s.docs.done = make(chan *docWrite), make(chan struct{}), make(chan struct{})
		go s.writeDocuments()
		return
	}
	s.startDocBatcher()
}

func (s *Store) stopDocWriter() {
	if s.docs == nil {
		return
	}
	s.docs.stop.Do(func() {
		if s.docs.quit != nil {
			close(s.docs.quit)
			<-s.docs.done
		}
		if s.docs.batch != nil {
			s.stopDocBatcher()
		}
		// Later calls fail: a closed statement says so.
		s.docs.mu.Lock()
		defer s.docs.mu.Unlock()
		for _, st := range s.docs.stmts {
			st.Close()
		}
	})
}

// stmt returns q prepared on the pool db (s.r, s.w, s.docsDB or s.docsOneDB), preparing
// it the first time: document requests are small and many, and SQLite
// would otherwise spend a fifth of their time parsing the same SQL again.
func (s *Store) stmt(ctx context.Context, db *sqlx.DB, q string) (*sql.Stmt, error) {
	key := "w" + q
	switch {
	case db == s.docsDB:
		key = "b" + q
	case db == s.docsOneDB:
		key = "o" + q
	case db == s.r && s.r != s.w:
		key = "r" + q
	}
	s.docs.mu.Lock()
	defer s.docs.mu.Unlock()
	if st, ok := s.docs.stmts[key]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, db.Rebind(q))
	if err != nil {
		return nil, err
	}
	s.docs.stmts[key] = st
	return st, nil
}

// execContentWrite is execWrite for a statement that binds a document's
// content: on PostgreSQL it runs on docsOneDB, whose connections send the
// content as its bytes rather than as hex text twice its size.
func (s *Store) execContentWrite(ctx context.Context, q string, args ...any) (int64, error) {
	if s.docsOneDB != nil {
		return s.execWriteOn(ctx, s.docsOneDB, q, args...)
	}
	return s.execWriteOn(ctx, s.w, q, args...)
}

// execWrite runs one write statement and returns the rows it affected: on
// SQLite in the document writer's next transaction, on PostgreSQL on its
// own.
func (s *Store) execWrite(ctx context.Context, q string, args ...any) (int64, error) {
	return s.execWriteOn(ctx, s.w, q, args...)
}

func (s *Store) execWriteOn(ctx context.Context, pool *sqlx.DB, q string, args ...any) (int64, error) {
	st, err := s.stmt(ctx, pool, q)
	if err != nil {
		return 0, err
	}
	if s.docs.writes == nil {
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	w := &docWrite{stmt: st, args: args, done: make(chan struct{})}
	select {
	case s.docs.writes <- w:
	case <-s.docs.quit:
		return 0, errClosed
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	// Once handed over, the write runs whatever the caller does.
	<-w.done
	return w.n, w.err
}

func (s *Store) writeDocuments() {
	defer close(s.docs.done)
	for {
		var w *docWrite
		select {
		case w = <-s.docs.writes:
		case <-s.docs.quit:
			return
		}
		group := []*docWrite{w}
		yielded := false
	more:
		for len(group) < docGroupMax {
			select {
			case w := <-s.docs.writes:
				group = append(group, w)
			default:
				if yielded {
					break more
				}
				// Let writers that are about to send join this group.
				yielded = true
				runtime.Gosched()
			}
		}
		err := s.inTx(context.Background(), func(tx *sqlx.Tx) error {
			for _, w := range group {
				res, err := tx.Stmt(w.stmt).Exec(w.args...)
				if err != nil {
					return fmt.Errorf("document write: %w", err)
				}
				if w.n, err = res.RowsAffected(); err != nil {
					return err
				}
			}
			return nil
		})
		for _, w := range group {
			if err != nil {
				w.n, w.err = 0, err
			}
			close(w.done)
		}
	}
}
