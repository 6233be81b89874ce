package lrs

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// DocumentKind is which of the three document resources a document belongs
// to (Communication §2.2).
type DocumentKind string

// The document resources.
const (
	KindState           DocumentKind = "state"
	KindActivityProfile DocumentKind = "activity_profile"
	KindAgentProfile    DocumentKind = "agent_profile"
)

// DocumentKey names a document: its resource, its context and its id. A
// key with an empty ID names the context, for listing and deleting.
type DocumentKey struct {
	Kind DocumentKind
	// ActivityID is set for state and activity profile documents.
	ActivityID string
	// Agent is the agent's identifier in canonical form (xapi.Agent.IFI),
	// set for state and agent profile documents.
	Agent string
	// Registration, a lowercase UUID, optionally scopes a state document.
	Registration string
	// ID is the stateId or profileId.
	ID string
}

func (k DocumentKey) String() string {
	return fmt.Sprintf("%s %q", strings.ReplaceAll(string(k.Kind), "_", " "), k.ID)
}

// Document is a stored document: any bytes, with the Content-Type they
// were sent with.
type Document struct {
	Key         DocumentKey
	ContentType string
	Content     []byte
	// SHA1 is the lowercase hexadecimal SHA-1 of Content: the document's
	// ETag, unquoted (Communication §3.1).
	SHA1 string
	// Updated is when it was last written, UTC, to the microsecond.
	Updated time.Time
}

// Condition is what a conditional write expects to find stored. The zero
// value expects nothing: the write is unconditional.
type Condition struct {
	// Absent: only when no document is stored under the key.
	Absent bool
	// SHA1: only when the stored document has this SHA-1.
	SHA1 string
}

// DocumentStore keeps State, Activity Profile and Agent Profile documents.
// It is declared here, apart from Store, because the document resources
// need nothing of statements. Every method is safe for concurrent use.
type DocumentStore interface {
	// Document returns the document under key, or ErrNotFound.
	Document(ctx context.Context, key DocumentKey) (Document, error)
	// DocumentIDs returns, sorted and distinct, the ids of the documents in
	// key's context (key.ID is ignored) updated after since when it is not
	// zero, and when the latest of them was updated. For state documents an
	// empty Registration matches every registration (Communication §2.3).
	DocumentIDs(ctx context.Context, key DocumentKey, since time.Time) ([]string, time.Time, error)
	// PutDocument stores doc under doc.Key, inserting or replacing it, when
	// what is stored meets cond; otherwise it returns ErrPreconditionFailed
	// and changes nothing. Check and write are one atomic step, also
	// between processes sharing the database.
	PutDocument(ctx context.Context, doc Document, cond Condition) error
	// DeleteDocument deletes the document under key when what is stored
	// meets cond, else returns ErrPreconditionFailed. Deleting a document
	// that does not exist, unconditionally, is not an error.
	DeleteDocument(ctx context.Context, key DocumentKey, cond Condition) error
	// DeleteDocuments deletes every document in key's context (key.ID is
	// ignored); as in DocumentIDs, an empty Registration matches every one.
	DeleteDocuments(ctx context.Context, key DocumentKey) error
}

// Errors of the document resources.
var (
	// ErrDocumentExists: a PUT without If-Match or If-None-Match found the
	// document already there (Communication §3.1).
	ErrDocumentExists = errors.New("the document exists")
	// ErrDocumentBusy: the document kept changing while a write was
	// retried against its latest version.
	ErrDocumentBusy = errors.New("the document kept changing")
)

// DocumentError is a document write the LRS refuses (400): Property names
// the header or the body, Rule says why.
type DocumentError struct {
	Property, Rule string
}

func (e *DocumentError) Error() string { return e.Property + ": " + e.Rule }

// Preconditions are a request's If-Match and If-None-Match headers: entity
// tags without their quotes, weak ones with their "W/", or "*". A nil list
// is an absent header.
type Preconditions struct {
	IfMatch, IfNoneMatch []string
}

// None reports whether the request sent neither header.
func (p Preconditions) None() bool { return p.IfMatch == nil && p.IfNoneMatch == nil }

// hold reports whether the preconditions hold for cur, the stored document
// or nil, as RFC 9110 §13.1 evaluates them: If-Match with strong
// comparison, If-None-Match with weak comparison.
func (p Preconditions) hold(cur *Document) bool {
	if p.IfMatch != nil {
		ok := false
		for _, t := range p.IfMatch {
			ok = ok || cur != nil && (t == "*" || strings.EqualFold(t, cur.SHA1))
		}
		if !ok {
			return false
		}
	}
	for _, t := range p.IfNoneMatch {
		if cur != nil && (t == "*" || strings.EqualFold(strings.TrimPrefix(t, "W/"), cur.SHA1)) {
			return false
		}
	}
	return true
}

// condition is the single store condition equivalent to p, if there is
// one: then a write needs no read first.
func (p Preconditions) condition() (Condition, bool) {
	switch {
	case p.None():
		return Condition{}, true
	case p.IfMatch == nil && len(p.IfNoneMatch) == 1 && p.IfNoneMatch[0] == "*":
		return Condition{Absent: true}, true
	case p.IfNoneMatch == nil && len(p.IfMatch) == 1 && p.IfMatch[0] != "*":
		// A weak tag never matches, and no stored SHA-1 looks like one.
		return Condition{SHA1: strings.ToLower(p.IfMatch[0])}, true
	}
	return Condition{}, false
}

// Documents is the State, Activity Profile and Agent Profile resources, and
// the Activities and Agents resources, which tell what the LRS has learned
// of activities and agents from statements.
type Documents struct {
	store DocumentStore
	known ActivityStore
	now   func() time.Time
}

// NewDocuments returns the document resources over store and what the LRS
// has learned in known, with the given clock.
func NewDocuments(store DocumentStore, known ActivityStore, now func() time.Time) *Documents {
	return &Documents{store: store, known: known, now: now}
}

// maxWriteAttempts bounds how often a write that depends on the stored
// document is retried because another writer changed it in between.
const maxWriteAttempts = 16

// Document returns the document under key, or ErrNotFound.
func (d *Documents) Document(ctx context.Context, key DocumentKey) (Document, error) {
	doc, err := d.store.Document(ctx, key)
	if err != nil {
		return Document{}, fmt.Errorf("get %s: %w", key, err)
	}
	return doc, nil
}

// IDs lists the ids in key's context updated after since (when not zero),
// and when the latest of them was updated.
func (d *Documents) IDs(ctx context.Context, key DocumentKey, since time.Time) ([]string, time.Time, error) {
	ids, latest, err := d.store.DocumentIDs(ctx, key, since)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("list %s documents: %w", strings.ReplaceAll(string(key.Kind), "_", " "), err)
	}
	return ids, latest, nil
}

// Put stores doc under its key, replacing what is there, if the
// preconditions hold (else ErrPreconditionFailed). A PUT without
// preconditions on an existing profile document, or on any existing
// document in xAPI 2.0, is ErrDocumentExists (Communication §3.1). It
// returns the stored document's SHA-1.
func (d *Documents) Put(ctx context.Context, doc Document, pre Preconditions, v xapi.Version) (string, error) {
	d.complete(&doc)
	// xAPI 1.0.3 lets state be written without concurrency headers.
	mustExpect := doc.Key.Kind != KindState || v == xapi.Version200
	if pre.None() && mustExpect {
		err := d.store.PutDocument(ctx, doc, Condition{Absent: true})
		if errors.Is(err, ErrPreconditionFailed) {
			return "", fmt.Errorf("put %s: %w", doc.Key, ErrDocumentExists)
		}
		return doc.SHA1, wrap("put", doc.Key, err)
	}
	if cond, ok := pre.condition(); ok {
		return doc.SHA1, wrap("put", doc.Key, d.store.PutDocument(ctx, doc, cond))
	}
	err := d.retry(ctx, doc.Key, pre, func(cur *Document) error {
		return d.store.PutDocument(ctx, doc, expect(cur))
	})
	return doc.SHA1, wrap("put", doc.Key, err)
}

// Post merges doc into the stored document when both are JSON objects, or
// stores it when there is none (Communication §2.2 JSON Procedure), if the
// preconditions hold. It returns the stored document's SHA-1.
func (d *Documents) Post(ctx context.Context, doc Document, pre Preconditions) (string, error) {
	d.complete(&doc)
	sentJSON := isJSON(doc.ContentType)
	if sentJSON {
		if err := checkObject(doc.Content, "body"); err != nil {
			return "", err
		}
	}
	var sum string
	err := d.retry(ctx, doc.Key, pre, func(cur *Document) error {
		if cur == nil {
			sum = doc.SHA1
			return d.store.PutDocument(ctx, doc, Condition{Absent: true})
		}
		switch {
		case !isJSON(cur.ContentType):
			return &DocumentError{"Content-Type", "the stored document is " + cur.ContentType + ", not application/json, so nothing can be merged into it; replace it with PUT"}
		case !sentJSON:
			return &DocumentError{"Content-Type", "must be application/json to merge into the stored JSON document; replace it with PUT instead"}
		}
		merged, err := mergeObjects(cur.Content, doc.Content)
		if err != nil {
			return err
		}
		next := doc
		next.Content = merged
		next.SHA1 = sha1Hex(merged)
		sum = next.SHA1
		return d.store.PutDocument(ctx, next, Condition{SHA1: cur.SHA1})
	})
	return sum, wrap("post", doc.Key, err)
}

// Delete deletes the document under key if the preconditions hold.
// Deleting a document that does not exist is no error.
func (d *Documents) Delete(ctx context.Context, key DocumentKey, pre Preconditions) error {
	if cond, ok := pre.condition(); ok {
		return wrap("delete", key, d.store.DeleteDocument(ctx, key, cond))
	}
	return wrap("delete", key, d.retry(ctx, key, pre, func(cur *Document) error {
		if cur == nil {
			return nil
		}
		return d.store.DeleteDocument(ctx, key, expect(cur))
	}))
}

// DeleteAll deletes every document in key's context (the State resource's
// DELETE without stateId).
func (d *Documents) DeleteAll(ctx context.Context, key DocumentKey) error {
	if err := d.store.DeleteDocuments(ctx, key); err != nil {
		return fmt.Errorf("delete %s documents: %w", strings.ReplaceAll(string(key.Kind), "_", " "), err)
	}
	return nil
}

// retry reads the stored document, checks the preconditions against it and
// runs write, which writes on condition that the document is still what
// was read. If another writer changed it in between, it starts again from
// the new version, so the preconditions are always judged against the
// version the write replaces.
func (d *Documents) retry(ctx context.Context, key DocumentKey, pre Preconditions, write func(cur *Document) error) error {
	for range maxWriteAttempts {
		var cur *Document
		doc, err := d.store.Document(ctx, key)
		switch {
		case err == nil:
			cur = &doc
		case !errors.Is(err, ErrNotFound):
			return err
		}
		if !pre.hold(cur) {
			return ErrPreconditionFailed
		}
		err = write(cur)
		if !errors.Is(err, ErrPreconditionFailed) {
			return err
		}
	}
	return ErrDocumentBusy
}

// expect is the condition that cur, the document read or nil, is still
// what is stored.
func expect(cur *Document) Condition {
	if cur == nil {
		return Condition{Absent: true}
	}
	return Condition{SHA1: cur.SHA1}
}

func (d *Documents) complete(doc *Document) {
	if doc.SHA1 == "" {
		doc.SHA1 = sha1Hex(doc.Content)
	}
	if doc.Content == nil {
		doc.Content = []byte{}
	}
	doc.Updated = d.now().UTC().Truncate(time.Microsecond)
}

func wrap(op string, key DocumentKey, err error) error {
	if err == nil {
		return nil
	}
	var derr *DocumentError
	if errors.As(err, &derr) {
		return err
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

func sha1Hex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// What reading the document resources, and the Activities and Agents
// resources, asks of a credential. A credential does not hold these: Allows
// grants each to the resource's own scope and to all/read (Communication
// §4.2), and the text is what a 403 says is needed.
const (
	ReadState       Scope = "state or all/read"
	ReadProfile     Scope = "profile or all/read"
	ReadDefinitions Scope = "all/read, statements/read or define"
)

// grantsRead reports whether holding scope s allows the read need.
func grantsRead(s, need Scope) bool {
	switch need {
	case ReadState:
		return s == ScopeState || s == ScopeAllRead
	case ReadProfile:
		return s == ScopeProfile || s == ScopeAllRead
	case ReadDefinitions:
		return s == ScopeAllRead || s == ScopeStatementsRead || s == ScopeDefine
	}
	return false
}
