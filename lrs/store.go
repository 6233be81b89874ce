package lrs

import (
	"context"
	"time"
)

// Store keeps statements, their attachments and credentials. Every method is
// safe for concurrent use; a write that returns nil is committed.
type Store interface {
	// InsertStatements stores the statements in one transaction. For a
	// statement whose id is already stored, same(stored, sent) decides: true
	// skips it (the spec's "same id, same content"), false fails the whole
	// call with ErrConflict and stores nothing. A statement whose VoidsID
	// names a stored voiding statement fails the call with ErrVoidingVoid.
	// Voiding marks the target voided, also when the target arrives after the
	// voiding statement.
	InsertStatements(ctx context.Context, stmts []Statement, same func(stored, sent []byte) bool) error
	// Statement returns the statement with the id. With voided false it
	// returns ErrNotFound for a voided statement; with voided true it
	// returns only a voided one (the voidedStatementId parameter).
	Statement(ctx context.Context, id string, voided bool) (Statement, error)
	// Statements returns a page of statements that are not voided and match
	// the filter, newest stored first unless Ascending, and the cursor of the
	// next page, nil when there is none.
	Statements(ctx context.Context, f StatementFilter) ([]Statement, *Cursor, error)
	// Attachments returns the stored attachment payloads with those SHA-2
	// hashes.
	Attachments(ctx context.Context, sha2 []string) (map[string]Attachment, error)

	InsertCredential(ctx context.Context, c Credential) error
	// Credential returns the credential with the key, revoked or not.
	Credential(ctx context.Context, key string) (Credential, error)
	Credentials(ctx context.Context) ([]Credential, error)
	// RevokeCredential marks the credential revoked; ErrNotFound if absent.
	RevokeCredential(ctx context.Context, key string, at time.Time) error
	// ExpireCredential brings the credential's expiry forward to at, when
	// it has none or a later one; ErrNotFound if absent.
	ExpireCredential(ctx context.Context, key string, at time.Time) error
}

// Statement is a statement as the store keeps it: its JSON exactly as the
// LRS will return it with format=exact, and the values it is found by.
type Statement struct {
	ID string
	// JSON is the statement as stored: as sent, plus the id, stored,
	// authority and version the LRS sets.
	JSON []byte
	// Stored is when the LRS stored it, UTC, to the microsecond.
	Stored time.Time
	// Voided and Seq (the insertion sequence, for cursors) are set by the
	// store when read.
	Voided bool
	Seq    int64

	// ActorIFI is the actor's inverse functional identifier in canonical
	// form (see xapi.IFI); empty for an anonymous group.
	ActorIFI string
	VerbID   string
	// ObjectType is the object's objectType: "Activity" (also when the
	// statement leaves it out), "Agent", "Group", "StatementRef" or
	// "SubStatement".
	ObjectType string
	// ObjectID is the object's activity id, agent IFI or statement id.
	ObjectID     string
	Registration string
	// VoidsID is the id of the statement this one voids, for a voiding
	// statement.
	VoidsID string
	// AuthorityIFI identifies the credential that stored the statement (its
	// authority's IFI), for the statements/read/mine scope.
	AuthorityIFI string
	// DirectAgents are what the agent parameter matches without
	// related_agents: the IFIs of the actor and of an Agent or Group object,
	// Group members' included (xapi.DirectAgents). The store adds ActorIFI
	// and an agent ObjectID itself.
	DirectAgents []string
	// RelatedAgents and RelatedActivities are what the related_agents and
	// related_activities query parameters match, the actor's IFI and the
	// object's activity id included.
	RelatedAgents     []string
	RelatedActivities []string
	// Attachments are the payloads sent with the statement.
	Attachments []Attachment
	// Definitions and AgentNames are what the statement tells of its
	// activities and agents, set when its credential may define them (the
	// define scope). The store merges them into what it has learned, in
	// the statement's transaction (see ActivityStore).
	Definitions []Definition
	AgentNames  []AgentName
}

// Attachment is an attachment payload, identified by its SHA-2 hash.
type Attachment struct {
	SHA2        string
	ContentType string
	Data        []byte
}

// StatementFilter selects statements. Empty fields do not filter.
type StatementFilter struct {
	// Agent is an IFI; it matches the actor or an agent object (or one of
	// their members, see Statement.DirectAgents), or with RelatedAgents any
	// related agent.
	Agent         string
	RelatedAgents bool
	Verb          string
	// Activity matches the object, or with RelatedActivities any related
	// activity.
	Activity          string
	RelatedActivities bool
	Registration      string
	// Authority restricts the statements to those a credential stored
	// (Statement.AuthorityIFI).
	Authority string
	// Since (exclusive) and Until (inclusive) bound Stored.
	Since, Until time.Time
	Ascending    bool
	// Limit is the page size; the service bounds it.
	Limit int
	// After continues a previous page.
	After *Cursor
}

// Cursor is a position in the stored order of statements. Pages continue
// after it, so statements that arrive while a client pages through results
// neither shift nor repeat what it sees.
type Cursor struct {
	// Seq is the store's insertion sequence of the last statement returned.
	Seq int64
}

// Credential is an API key for xAPI clients and the dashboard.
type Credential struct {
	Key string
	// SecretHash is the hashed secret; the secret itself is never stored.
	SecretHash []byte
	Name       string
	Scopes     []string
	// Authority is the agent JSON the LRS puts in statements' authority.
	Authority []byte
	CreatedAt time.Time
	// RevokedAt is zero while the credential is valid.
	RevokedAt time.Time
	// ExpiresAt, when not zero, is when the credential stops being valid:
	// the short-lived tokens of cmi5 launches.
	ExpiresAt time.Time
	// Restriction, when set, limits what the credential may do beyond its
	// scopes.
	Restriction *Restriction
}
