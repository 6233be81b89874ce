package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

var _ lrs.DocumentStore = (*Store)(nil)

// Documents are written without an explicit transaction: a conditional
// write is an INSERT ... ON CONFLICT DO NOTHING or UPDATE ... WHERE sha1 =
// ?, which the database applies atomically, on its own or in a batch (see
// documents_batch.go). On PostgreSQL a concurrent UPDATE of the same row
// waits for the first to commit and then re-checks its WHERE against the
// new row, so of two writers expecting the same SHA-1 exactly one matches,
// also when they are two LRS processes.

// hashKey returns the SHA-256 of the parts, each prefixed with its length,
// so that no two different lists of parts hash alike.
func hashKey(parts ...string) []byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

func keyHash(k lrs.DocumentKey) []byte {
	return hashKey(string(k.Kind), k.ActivityID, k.Agent, k.Registration, k.ID)
}

func scopeHash(k lrs.DocumentKey) []byte {
	return hashKey(string(k.Kind), k.ActivityID, k.Agent)
}

// Document returns the document under key; see lrs.DocumentStore.
func (s *Store) Document(ctx context.Context, key lrs.DocumentKey) (lrs.Document, error) {
	if s.docs.batch != nil {
		doc, err := s.readBatched(ctx, key)
		if err != nil {
			return lrs.Document{}, fmt.Errorf("document: %w", err)
		}
		return doc, nil
	}
	doc := lrs.Document{Key: key}
	var updated timestamp
	st, err := s.stmt(ctx, s.r, `SELECT content_type, content, sha1, updated FROM documents WHERE key_hash = ?`)
	if err != nil {
		return lrs.Document{}, fmt.Errorf("document: %w", err)
	}
	var content any = &doc.Content // database/sql copies the driver's bytes
	if s.d.name == "sqlite" {
		content = (*ownedBytes)(&doc.Content)
	}
	err = st.QueryRowContext(ctx, keyHash(key)).Scan(&doc.ContentType, content, &doc.SHA1, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return lrs.Document{}, fmt.Errorf("document: %w", lrs.ErrNotFound)
	case err != nil:
		return lrs.Document{}, fmt.Errorf("document: %w", err)
	}
	if doc.Content == nil {
		doc.Content = []byte{}
	}
	doc.Updated = updated.Time
	return doc, nil
}

// DocumentIDs lists the ids in key's context; see lrs.DocumentStore. The
// scope index holds the context's documents together, so this reads only
// them.
func (s *Store) DocumentIDs(ctx context.Context, key lrs.DocumentKey, since time.Time) ([]string, time.Time, error) {
	q := `SELECT doc_id, updated FROM documents WHERE scope_hash = ?`
	args := []any{scopeHash(key)}
	if key.Registration != "" {
		q += ` AND registration = ?`
		args = append(args, key.Registration)
	}
	if !since.IsZero() {
		q += ` AND updated > ?`
		args = append(args, timestamp{since})
	}
	st, err := s.stmt(ctx, s.r, q)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("document ids: %w", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("document ids: %w", err)
	}
	defer rows.Close()
	var (
		ids    []string
		latest time.Time
	)
	for rows.Next() {
		var (
			id      string
			updated timestamp
		)
		if err := rows.Scan(&id, &updated); err != nil {
			return nil, time.Time{}, fmt.Errorf("document ids: %w", err)
		}
		ids = append(ids, id)
		if updated.After(latest) {
			latest = updated.Time
		}
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("document ids: %w", err)
	}
	// The same stateId may be stored under several registrations.
	slices.Sort(ids)
	return slices.Compact(ids), latest, nil
}

const (
	documentColumns = `INSERT INTO documents (key_hash, scope_hash, kind, activity_id, agent_ifi, registration, doc_id,
	content_type, content, sha1, updated)`
	documentInsert = documentColumns + ` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// PutDocument writes doc when cond holds; see lrs.DocumentStore.
func (s *Store) PutDocument(ctx context.Context, doc lrs.Document, cond lrs.Condition) error {
	if doc.Content == nil {
		doc.Content = []byte{} // an empty document, not NULL
	}
	var (
		applied bool
		err     error
	)
	if s.docs.batch != nil && len(doc.Content) <= docBatchContentMax {
		applied, err = s.putBatched(ctx, doc, cond)
	} else {
		var n int64
		n, err = s.putOne(ctx, doc, cond)
		applied = n > 0
	}
	if err != nil {
		return fmt.Errorf("put document: %w", err)
	}
	if !applied {
		return fmt.Errorf("put document: %w", lrs.ErrPreconditionFailed)
	}
	return nil
}

// putOne writes doc with a statement of its own and returns the rows
// written: none if cond does not hold.
func (s *Store) putOne(ctx context.Context, doc lrs.Document, cond lrs.Condition) (int64, error) {
	k := doc.Key
	if cond.SHA1 != "" {
		return s.execContentWrite(ctx, `UPDATE documents SET content_type = ?, content = ?, sha1 = ?, updated = ? WHERE key_hash = ? AND sha1 = ?`,
			doc.ContentType, doc.Content, doc.SHA1, timestamp{doc.Updated}, keyHash(k), cond.SHA1)
	}
	q := documentInsert + ` ON CONFLICT (key_hash) DO NOTHING`
	if !cond.Absent {
		q = documentInsert + ` ON CONFLICT (key_hash) DO UPDATE SET content_type = excluded.content_type,
			content = excluded.content, sha1 = excluded.sha1, updated = excluded.updated`
	}
	return s.execContentWrite(ctx, q, keyHash(k), scopeHash(k), string(k.Kind), k.ActivityID, k.Agent, k.Registration, k.ID,
		doc.ContentType, doc.Content, doc.SHA1, timestamp{doc.Updated})
}

// DeleteDocument deletes the document under key when cond holds; see
// lrs.DocumentStore.
func (s *Store) DeleteDocument(ctx context.Context, key lrs.DocumentKey, cond lrs.Condition) error {
	switch {
	case cond.Absent:
		// Nothing to delete if it holds, nothing to change if it does not.
		var n int
		err := s.r.GetContext(ctx, &n, s.r.Rebind(`SELECT COUNT(*) FROM documents WHERE key_hash = ?`), keyHash(key))
		if err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("delete document: %w", lrs.ErrPreconditionFailed)
		}
		return nil
	case cond.SHA1 != "":
		n, err := s.execWrite(ctx, `DELETE FROM documents WHERE key_hash = ? AND sha1 = ?`, keyHash(key), cond.SHA1)
		if err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("delete document: %w", lrs.ErrPreconditionFailed)
		}
		return nil
	}
	if _, err := s.execWrite(ctx, `DELETE FROM documents WHERE key_hash = ?`, keyHash(key)); err != nil {
		return fmt.Errorf("delete document: %w", err)
	}
	return nil
}

// DeleteDocuments deletes the documents of key's context; see
// lrs.DocumentStore.
func (s *Store) DeleteDocuments(ctx context.Context, key lrs.DocumentKey) error {
	q := `DELETE FROM documents WHERE scope_hash = ?`
	args := []any{scopeHash(key)}
	if key.Registration != "" {
		q += ` AND registration = ?`
		args = append(args, key.Registration)
	}
	if _, err := s.execWrite(ctx, q, args...); err != nil {
		return fmt.Errorf("delete documents: %w", err)
	}
	return nil
}

// ownedBytes scans a SQLite BLOB without copying it. Scanning into a
// *[]byte makes database/sql copy what the driver returns, in case the
// driver reuses its buffer; modernc.org/sqlite returns a new slice for
// every value (its columnBlob copies out of SQLite's memory), so that copy
// would only hold a large document twice. lib/pq does reuse its buffer for
// small values of prepared statements, so PostgreSQL keeps the copy.
// TestDocumentReadsDoNotShare checks both.
type ownedBytes []byte

// Scan implements sql.Scanner.
func (b *ownedBytes) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		*b = v
	case string:
		*b = []byte(v)
	case nil:
		*b = []byte{}
	default:
		return fmt.Errorf("scan document content: unsupported type %T", v)
	}
	return nil
}
