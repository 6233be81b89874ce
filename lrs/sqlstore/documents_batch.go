package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/coursekit/coursekit/lrs"
)

// Document requests on PostgreSQL go to the database in batches. Each
// statement is a round trip that wakes a backend process, and waking it,
// parsing the message and committing cost the backend more than finding
// or updating one row: sixteen course players saving and reading back
// their state spent as much CPU in PostgreSQL's backends as in the LRS.
// So one goroutine sends the reads that are waiting as one SELECT ... WHERE
// key_hash = ANY($1), and another the writes that are waiting as one
// INSERT or UPDATE over unnest()ed arrays. A request that arrives while a
// batch is out waits for the next one: a lone request goes at once, and
// batches grow with the load.
//
// A batch is one statement, so its writes commit together, and each row's
// condition is checked as a single write's would be (an UPDATE waits for a
// concurrent one to commit, then checks its WHERE against the new row).
// The writes of one batch are all of one kind and each names a different
// document, so that no row is written twice by one statement and writes
// to one document keep their order. If the statement fails, the batch's
// writes run again one by one, so that a write PostgreSQL rejects fails
// alone.

const (
	// docBatchMax bounds the requests of one batch.
	docBatchMax = 64
	// docBatchContentMax is the largest document written in a batch. A
	// larger one is written with a statement of its own, so that the small
	// writes batched with it do not wait while it is sent.
	docBatchContentMax = 16 << 10
)

// docBatcher runs the document reads and writes of a PostgreSQL store.
// Its statements run on s.docsDB, a pool of its own whose connections plan
// each statement once (see genericPlans).
type docBatcher struct {
	reads  chan *docRead
	writes chan *docPut
	quit   chan struct{}
	loops  sync.WaitGroup
}

// genericPlans makes connections whose prepared statements use one plan
// for every execution. PostgreSQL otherwise plans a statement again each
// time its cost depends on the values bound, which it does for arrays of
// any length: planning the batch upsert took more time than running it
// for eight documents (a batch of 8 went from 555 to 375 µs). The batch
// statements find rows by primary key, which one plan does well for any
// number of them.
type genericPlans struct{ driver.Connector }

// Connect implements driver.Connector.
func (c genericPlans) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	exec, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("postgres connection cannot run statements without preparing them")
	}
	_, err = exec.ExecContext(ctx, `SET plan_cache_mode = force_generic_plan`, nil)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42704" {
		// PostgreSQL before 12 has no such setting; batches work, only slower.
		err = nil
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("set plan_cache_mode: %w", err)
	}
	return conn, nil
}

// openDocumentPool opens a pool of conns connections for document
// statements. Its []byte parameters go as binary (every one the store binds
// there is a bytea), and its statements are planned once (genericPlans).
func openDocumentPool(dsn string, conns int) (*sqlx.DB, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, err
	}
	// []byte parameters go as binary: the batches' arrays (see pgArray), and
	// contents as their bytes.
	cfg.BinaryParameters = true
	c, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, err
	}
	db := sqlx.NewDb(sql.OpenDB(genericPlans{c}), "postgres")
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// docRead is one document read waiting for the read batcher.
type docRead struct {
	key   []byte // keyHash
	doc   lrs.Document
	found bool
	err   error
	done  chan struct{}
}

// putKind is what a write's condition asks, as one batch statement does.
type putKind int

const (
	putAny    putKind = iota // create or replace
	putAbsent                // create only
	putMatch                 // replace the version with SHA-1 expect only
)

// docPut is one document write waiting for the write batcher.
type docPut struct {
	kind    putKind
	doc     lrs.Document
	cond    lrs.Condition
	key     []byte // keyHash
	applied bool
	err     error
	done    chan struct{}
}

func newDocPut(doc lrs.Document, cond lrs.Condition) *docPut {
	p := &docPut{doc: doc, cond: cond, key: keyHash(doc.Key), done: make(chan struct{})}
	switch {
	case cond.SHA1 != "":
		p.kind = putMatch
	case cond.Absent:
		p.kind = putAbsent
	}
	return p
}

func (s *Store) startDocBatcher() {
	b := &docBatcher{reads: make(chan *docRead), writes: make(chan *docPut), quit: make(chan struct{})}
	s.docs.batch = b
	b.loops.Add(2)
	go func() {
		defer b.loops.Done()
		s.batchReads()
	}()
	go func() {
		defer b.loops.Done()
		s.batchWrites()
	}()
}

// stopDocBatcher returns once the batches out are done.
func (s *Store) stopDocBatcher() {
	close(s.docs.batch.quit)
	s.docs.batch.loops.Wait()
}

// readBatched reads the document under key through the read batcher.
func (s *Store) readBatched(ctx context.Context, key lrs.DocumentKey) (lrs.Document, error) {
	r := &docRead{key: keyHash(key), done: make(chan struct{})}
	if err := handOver(ctx, s.docs.batch, s.docs.batch.reads, r); err != nil {
		return lrs.Document{}, err
	}
	<-r.done
	switch {
	case r.err != nil:
		return lrs.Document{}, r.err
	case !r.found:
		return lrs.Document{}, lrs.ErrNotFound
	}
	r.doc.Key = key
	return r.doc, nil
}

// putBatched writes doc through the write batcher and reports whether
// cond held.
func (s *Store) putBatched(ctx context.Context, doc lrs.Document, cond lrs.Condition) (bool, error) {
	p := newDocPut(doc, cond)
	if err := handOver(ctx, s.docs.batch, s.docs.batch.writes, p); err != nil {
		return false, err
	}
	<-p.done
	return p.applied, p.err
}

// handOver sends v to a batcher's loop. Once handed over, the request runs
// whatever the caller's context does.
func handOver[T any](ctx context.Context, b *docBatcher, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-b.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// collect takes first and the requests waiting behind it, up to
// docBatchMax, while fits accepts them. The first one fits refuses is
// returned to start the next batch.
func collect[T any](ch <-chan T, first T, fits func(batch []T, next T) bool) (batch []T, next *T) {
	batch = []T{first}
	yielded := false
	for len(batch) < docBatchMax {
		select {
		case v := <-ch:
			if !fits(batch, v) {
				return batch, &v
			}
			batch = append(batch, v)
		default:
			if yielded {
				return batch, nil
			}
			// Let requests that are about to be sent join this batch.
			yielded = true
			runtime.Gosched()
		}
	}
	return batch, nil
}

// batchReads runs the read batches until the store closes.
func (s *Store) batchReads() {
	b := s.docs.batch
	for {
		var first *docRead
		select {
		case first = <-b.reads:
		case <-b.quit:
			return
		}
		// Reads all fit: the same key twice is answered twice.
		batch, _ := collect(b.reads, first, func([]*docRead, *docRead) bool { return true })
		s.readBatch(context.Background(), batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// readBatch reads the documents of batch with one query.
func (s *Store) readBatch(ctx context.Context, batch []*docRead) {
	keys := newPGArray(oidBytea, len(batch), len(batch)*32)
	for _, r := range batch {
		keys = keys.addBytes(r.key)
	}
	err := s.queryDocuments(ctx, keys, func(key []byte, d lrs.Document) {
		shared := false
		for _, r := range batch {
			if bytes.Equal(r.key, key) {
				r.doc, r.found = d, true
				if shared {
					// Each request owns the bytes it is given.
					r.doc.Content = bytes.Clone(d.Content)
				}
				shared = true
			}
		}
	})
	if err != nil {
		for _, r := range batch {
			r.found, r.err = false, err
		}
	}
}

func (s *Store) queryDocuments(ctx context.Context, keys pgArray, found func([]byte, lrs.Document)) error {
	st, err := s.stmt(ctx, s.docsDB, `SELECT key_hash, content_type, content, sha1, updated FROM documents WHERE key_hash = ANY(?)`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, []byte(keys))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			key     []byte
			d       lrs.Document
			updated timestamp
		)
		// database/sql copies the bytes: lib/pq reuses its buffer.
		if err := rows.Scan(&key, &d.ContentType, &d.Content, &d.SHA1, &updated); err != nil {
			return err
		}
		if d.Content == nil {
			d.Content = []byte{}
		}
		d.Updated = updated.Time
		found(key, d)
	}
	return rows.Err()
}

// batchWrites runs the write batches until the store closes.
func (s *Store) batchWrites() {
	b := s.docs.batch
	var next *docPut
	for {
		first := next
		if first == nil {
			select {
			case first = <-b.writes:
			case <-b.quit:
				return
			}
		}
		batch, nextp := collect(b.writes, first, writeFits)
		next = nil
		if nextp != nil {
			next = *nextp
		}
		s.writeBatch(context.Background(), batch)
		for _, p := range batch {
			close(p.done)
		}
	}
}

// writeFits reports whether p can join batch: it must ask what the others
// ask, and be to a document none of them writes.
func writeFits(batch []*docPut, p *docPut) bool {
	return p.kind == batch[0].kind && !slices.ContainsFunc(batch, func(q *docPut) bool { return bytes.Equal(q.key, p.key) })
}

// writeBatch writes batch, whose writes are all of one kind and each to a
// different document, with one statement; if that fails, one by one.
func (s *Store) writeBatch(ctx context.Context, batch []*docPut) {
	// Rows are locked in key order, so that the batches of two LRS
	// processes do not wait for each other's rows in a cycle. Should
	// PostgreSQL still find a deadlock (a plan that visits rows in another
	// order), it fails one statement, whose writes then run one by one.
	slices.SortFunc(batch, func(a, b *docPut) int { return bytes.Compare(a.key, b.key) })
	applied, err := s.execPutBatch(ctx, batch)
	if err == nil {
		for _, p := range batch {
			p.applied = applied[string(p.key)]
		}
		return
	}
	if len(batch) == 1 {
		batch[0].err = err
		return
	}
	s.logger.Warn("document batch failed; writing its documents one by one", "documents", len(batch), "err", err)
	for _, p := range batch {
		var n int64
		n, p.err = s.putOne(ctx, p.doc, p.cond)
		p.applied = n > 0
	}
}

const (
	// The columns of documentInsert, from arrays.
	batchRows = ` SELECT * FROM unnest(?::bytea[], ?::bytea[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
	?::text[], ?::bytea[], ?::text[], ?::timestamptz[])`
	batchUpsert = documentColumns + batchRows + ` ON CONFLICT (key_hash) DO UPDATE SET content_type = excluded.content_type,
	content = excluded.content, sha1 = excluded.sha1, updated = excluded.updated RETURNING key_hash`
	batchCreate = documentColumns + batchRows + ` ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash`
	batchMatch  = `UPDATE documents AS d SET content_type = v.content_type, content = v.content, sha1 = v.sha1, updated = v.updated
	FROM unnest(?::bytea[], ?::text[], ?::bytea[], ?::text[], ?::timestamptz[], ?::text[])
		AS v(key_hash, content_type, content, sha1, updated, expect)
	WHERE d.key_hash = v.key_hash AND d.sha1 = v.expect RETURNING d.key_hash`
)

// execPutBatch runs batch's statement and returns the keys it wrote.
func (s *Store) execPutBatch(ctx context.Context, batch []*docPut) (map[string]bool, error) {
	n, size := len(batch), 0
	for _, p := range batch {
		size += len(p.doc.Content)
	}
	// Room for the contents, the hashes and times, and texts of a URL's length.
	keys, scopes, contents := newPGArray(oidBytea, n, n*32), newPGArray(oidBytea, n, n*32), newPGArray(oidBytea, n, size)
	kinds, activities, agents, regs := newPGArray(oidText, n, n*8), newPGArray(oidText, n, n*100), newPGArray(oidText, n, n*100), newPGArray(oidText, n, n*36)
	ids, types, sums, times, expect := newPGArray(oidText, n, n*40), newPGArray(oidText, n, n*20), newPGArray(oidText, n, n*40), newPGArray(oidTimestamptz, n, n*8), newPGArray(oidText, n, n*40)
	for _, p := range batch {
		k, d := p.doc.Key, p.doc
		if d.Updated.IsZero() {
			return nil, fmt.Errorf("put document: no updated time")
		}
		keys, contents = keys.addBytes(p.key), contents.addBytes(d.Content)
		types, sums, times = types.addString(d.ContentType), sums.addString(d.SHA1), times.addTime(d.Updated)
		expect = expect.addString(p.cond.SHA1)
		scopes, kinds = scopes.addBytes(scopeHash(k)), kinds.addString(string(k.Kind))
		activities, agents, regs, ids = activities.addString(k.ActivityID), agents.addString(k.Agent), regs.addString(k.Registration), ids.addString(k.ID)
	}
	q, args := batchUpsert, []any{[]byte(keys), []byte(scopes), []byte(kinds), []byte(activities), []byte(agents), []byte(regs), []byte(ids), []byte(types), []byte(contents), []byte(sums), []byte(times)}
	switch batch[0].kind {
	case putAbsent:
		q = batchCreate
	case putMatch:
		q, args = batchMatch, []any{[]byte(keys), []byte(types), []byte(contents), []byte(sums), []byte(times), []byte(expect)}
	}
	st, err := s.stmt(ctx, s.docsDB, q)
	if err != nil {
		return nil, fmt.Errorf("put documents: %w", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("put documents: %w", err)
	}
	defer rows.Close()
	written := make(map[string]bool, len(batch))
	for rows.Next() {
		var key []byte
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("put documents: %w", err)
		}
		written[string(key)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("put documents: %w", err)
	}
	return written, nil
}
