package lrs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// Service is the LRS: it stores statements and answers queries over them.
type Service struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
	newID func() string
}

// MaxPage is the most statements one GET returns; limit=0 means this.
const MaxPage = 500

// MaxCommitDelay bounds the time between a statement's stored time and
// its commit: a store call still running after it fails instead.
const MaxCommitDelay = 10 * time.Second

// ConsistentThrough is the time up to which every statement stored is
// visible to queries (X-Experience-API-Consistent-Through): a statement
// stored earlier either committed or failed by now.
func (s *Service) ConsistentThrough() time.Time {
	return s.now().Add(-MaxCommitDelay)
}

// NewService returns the LRS service over store, with the given clock.
func NewService(store Store, logger *slog.Logger, now func() time.Time) *Service {
	return &Service{store: store, log: logger, now: now, newID: newStatementID}
}

// newStatementID returns an id for a statement sent without one: a
// time-ordered UUID (version 7, RFC 9562), so that the ids the LRS assigns
// are appended to the end of the id index instead of landing on a random
// page of it, which is most of what an insert costs once the index
// outgrows the cache.
func newStatementID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString() // the clock or entropy failed; a random id still works
	}
	return id.String()
}

// Batch is statements received in one request, with the attachment
// payloads sent beside them (multipart/mixed), keyed by SHA-2 hash.
type Batch struct {
	Statements  []xapi.Statement
	Attachments map[string]Attachment
	Version     xapi.Version
	// Authority is the agent the credential asserts statements as.
	Authority xapi.Agent
	// Define lets the statements define activities and agents: the
	// credential holds the define scope (Communication §4.2), or the LRS
	// lets every credential define.
	Define bool
}

// StoreStatements validates what only the LRS can (duplicate ids in the
// batch, attachment parts, signatures), completes each statement (id,
// stored, authority, version) and stores them all or none. It returns the
// statements' ids in order.
func (s *Service) StoreStatements(ctx context.Context, b Batch) ([]string, error) {
	seen := make(map[string]int, len(b.Statements))
	for i := range b.Statements {
		st := &b.Statements[i]
		if st.ID == "" {
			continue
		}
		if j, dup := seen[st.ID]; dup {
			return nil, &xapi.ValidationError{Property: fmt.Sprintf("[%d].id", i), Rule: fmt.Sprintf("must be unique in the batch; statement [%d] has the same id", j)}
		}
		seen[st.ID] = i
	}
	stored := s.now()
	// A statement is visible once committed, and commits happen after
	// stored is set; bounding the time between them is what lets
	// ConsistentThrough promise that every statement stored before it is
	// visible, on every node.
	ctx, cancel := context.WithDeadline(ctx, stored.Add(MaxCommitDelay))
	defer cancel()
	ids := make([]string, len(b.Statements))
	recs := make([]Statement, len(b.Statements))
	// sent keeps each statement as the client sent it: an existing id is the
	// same statement when it equals what was sent, before Prepare added a
	// timestamp and the rest.
	sent := make(map[string]*xapi.Statement, len(b.Statements))
	used := make(map[string]bool, len(b.Attachments))
	for i := range b.Statements {
		st := &b.Statements[i]
		if st.ID != "" {
			orig := *st
			sent[st.ID] = &orig
		}
		parts, err := attachmentParts(st, i, b.Attachments)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			used[p.SHA2] = true
		}
		if sig, ok := st.Signature(); ok {
			if err := xapi.VerifySignature(st, b.Attachments[sig.SHA2].Data); err != nil {
				return nil, &xapi.ValidationError{Property: fmt.Sprintf("[%d].attachments", i), Rule: err.Error()}
			}
		}
		if err := st.Prepare(s.newID(), stored, b.Authority, b.Version); err != nil {
			return nil, fmt.Errorf("store statements: %w", err)
		}
		ids[i] = st.ID
		recs[i] = record(st, parts)
		recs[i].AuthorityIFI = b.Authority.IFI()
		if b.Define {
			recs[i].Definitions, recs[i].AgentNames = learn(st)
		}
	}
	// Each part after the first is the payload of an attachment
	// (Communication §1.5.2); one that none declares is a malformed request.
	for sha2 := range b.Attachments {
		if !used[sha2] {
			return nil, &xapi.ValidationError{Property: "attachments", Rule: "the multipart/mixed part with X-Experience-API-Hash " + sha2 + " is no statement's attachment"}
		}
	}
	// The stored statement may have come from a 2.0 client; 2.0's rules
	// accept everything 1.0's do, so it is read under them.
	same := func(existing, _ []byte) bool {
		a, err := xapi.DecodeStatement(existing, xapi.Version200)
		return err == nil && sent[a.ID] != nil && xapi.Equivalent(a, sent[a.ID])
	}
	if err := s.store.InsertStatements(ctx, recs, same); err != nil {
		return nil, fmt.Errorf("store statements: %w", err)
	}
	return ids, nil
}

// attachmentParts returns the payloads a statement's attachments refer to.
// Every attachment needs either a fileUrl or a part with its hash
// (Communication §2.1.4).
func attachmentParts(st *xapi.Statement, i int, parts map[string]Attachment) ([]Attachment, error) {
	var out []Attachment
	for k, a := range st.Attachments {
		p, ok := parts[a.SHA2]
		switch {
		case ok:
			out = append(out, p)
		case a.FileURL == "":
			return nil, &xapi.ValidationError{
				Property: fmt.Sprintf("[%d].attachments[%d].sha2", i, k),
				Rule:     "has no fileUrl and no multipart/mixed part with this hash",
			}
		}
	}
	return out, nil
}

// record is what the store keeps of a prepared statement.
func record(st *xapi.Statement, parts []Attachment) Statement {
	r := Statement{
		ID: st.ID, JSON: st.Raw, Stored: st.Stored,
		ActorIFI: st.Actor.IFI(), VerbID: st.Verb.ID, ObjectType: string(st.Object.Kind),
		DirectAgents: xapi.DirectAgents(st), RelatedAgents: xapi.RelatedAgents(st), RelatedActivities: xapi.RelatedActivities(st),
		Attachments: parts,
	}
	switch st.Object.Kind {
	case xapi.KindAgent, xapi.KindGroup:
		r.ObjectID = st.Object.Agent.IFI()
	default:
		r.ObjectID = st.Object.ID
	}
	if st.Context != nil {
		r.Registration = st.Context.Registration
	}
	r.VoidsID, _ = xapi.VoidedID(st)
	return r
}

// Format is how GET returns statements.
type Format string

// The formats of the GET statements format parameter.
const (
	FormatExact     Format = "exact"
	FormatIDs       Format = "ids"
	FormatCanonical Format = "canonical"
)

// ReadOptions say how statements are returned, and to whom.
type ReadOptions struct {
	Format    Format
	Languages []string
	// Attachments returns the attachment payloads too.
	Attachments bool
	// Authority, when set, limits reads to the statements that credential
	// stored: the statements/read/mine scope.
	Authority string
}

// Got is one statement as a GET returns it.
type Got struct {
	JSON   []byte
	Stored time.Time
}

// Statement returns one statement in the format, and with attachments its
// attachment payloads; voided selects the voidedStatementId lookup.
func (s *Service) Statement(ctx context.Context, id string, voided bool, o ReadOptions) (Got, []Attachment, error) {
	st, err := s.store.Statement(ctx, id, voided)
	if err != nil {
		return Got{}, nil, err
	}
	if o.Authority != "" && st.AuthorityIFI != o.Authority {
		// Not this credential's: as if it did not exist.
		return Got{}, nil, fmt.Errorf("statement %s: %w", id, ErrNotFound)
	}
	out, err := format(st.JSON, o.Format, o.Languages)
	if err != nil {
		return Got{}, nil, err
	}
	got := Got{JSON: out, Stored: st.Stored}
	if !o.Attachments {
		return got, nil, nil
	}
	// The store keeps payloads apart from statements (a payload sent once
	// serves every statement with its hash), so they are read by hash.
	hashes := attachmentHashes(st.JSON)
	found, err := s.store.Attachments(ctx, hashes)
	if err != nil {
		return Got{}, nil, fmt.Errorf("statement %s attachments: %w", id, err)
	}
	var atts []Attachment
	for _, h := range hashes {
		if a, ok := found[h]; ok {
			atts = append(atts, a)
			delete(found, h) // one part per payload, however often it is named
		}
	}
	return got, atts, nil
}

// Page is one page of a statement query.
type Page struct {
	Statements []Got
	// More continues the query; nil on the last page.
	More *Cursor
	// Attachments are the payloads of the page's statements, when asked for.
	Attachments []Attachment
}

// Statements runs a query. A Limit of 0, or above MaxPage, is MaxPage.
func (s *Service) Statements(ctx context.Context, f StatementFilter, o ReadOptions) (Page, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if o.Authority != "" {
		f.Authority = o.Authority
	}
	sts, more, err := s.store.Statements(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("query statements: %w", err)
	}
	p := Page{More: more, Statements: make([]Got, len(sts))}
	var hashes []string
	for i, st := range sts {
		out, err := format(st.JSON, o.Format, o.Languages)
		if err != nil {
			return Page{}, err
		}
		p.Statements[i] = Got{JSON: out, Stored: st.Stored}
		if o.Attachments {
			hashes = append(hashes, attachmentHashes(st.JSON)...)
		}
	}
	if len(hashes) > 0 {
		found, err := s.store.Attachments(ctx, hashes)
		if err != nil {
			return Page{}, fmt.Errorf("query attachments: %w", err)
		}
		for _, a := range found {
			p.Attachments = append(p.Attachments, a)
		}
	}
	return p, nil
}

// attachmentHashes reads the hashes of a stored statement's attachments.
func attachmentHashes(raw []byte) []string {
	var st struct {
		Attachments []struct {
			SHA2 string `json:"sha2"`
		} `json:"attachments"`
	}
	if json.Unmarshal(raw, &st) != nil {
		return nil
	}
	out := make([]string, len(st.Attachments))
	for i, a := range st.Attachments {
		out[i] = strings.ToLower(a.SHA2)
	}
	return out
}

func format(raw []byte, f Format, langs []string) ([]byte, error) {
	switch f {
	case FormatExact, "":
		return raw, nil
	case FormatIDs:
		return xapi.FormatIDs(raw)
	case FormatCanonical:
		return xapi.FormatCanonical(raw, langs)
	}
	return nil, errors.New("unknown format " + string(f))
}
