package xapi

import (
	"encoding/json"
	"strings"
	"time"
)

// Statement is a decoded, valid statement (Data §2.4). Strings are as sent
// except UUIDs (ID, registrations, StatementRef ids), which are lowercased
// because UUIDs compare case-insensitively; Raw keeps the original text.
type Statement struct {
	// ID is empty when the statement arrived without one (Data §2.4.1).
	ID          string
	Actor       Agent
	Verb        Verb
	Object      Object
	Result      *Result
	Context     *Context
	Timestamp   time.Time // zero when absent
	Stored      time.Time // zero when absent
	Authority   *Agent
	Version     string // "" when absent
	Attachments []Attachment

	// Raw is the statement's JSON exactly as received (for a batch, this
	// statement's slice of it). It is empty in a SubStatement.
	Raw json.RawMessage

	// text is Raw as a string, and layout where its parts are, kept from
	// decoding for Prepare.
	text   string
	layout *layout
}

// layout locates a decoded statement's top-level members in its text, by
// slot (see statementKeys), and the single context activities that Prepare
// wraps in arrays.
type layout struct {
	members [sCount]span
	singles []span
}

// span is a byte range; end is 0 when absent.
type span struct{ start, end int32 }

// Verb is the action of a statement (Data §2.4.3).
type Verb struct {
	ID      string
	Display LanguageMap
}

// VoidedVerb is the verb that voids the statement its object refers to
// (Data §2.3.2).
const VoidedVerb = "http://adlnet.gov/expapi/verbs/voided"

// LanguageMap is a language map (Data §4.2): text by RFC 5646 language
// tag, in the order sent. Tags are distinct as sent (a JSON object cannot
// repeat a name), though they may differ only in case.
type LanguageMap []LangString

// LangString is one entry of a LanguageMap.
type LangString struct {
	Tag, Text string
}

// Get returns the text for tag, matched exactly or else ignoring case
// (language tags are case-insensitive).
func (m LanguageMap) Get(tag string) (string, bool) {
	for _, e := range m {
		if e.Tag == tag {
			return e.Text, true
		}
	}
	for _, e := range m {
		if strings.EqualFold(e.Tag, tag) {
			return e.Text, true
		}
	}
	return "", false
}

// Extensions is an extensions map (Data §4.1): any JSON value, kept as
// received, by IRI, in the order sent.
type Extensions []Extension

// Extension is one entry of an Extensions map.
type Extension struct {
	IRI   string
	Value json.RawMessage
}

// Get returns the value of the extension named iri.
func (e Extensions) Get(iri string) (json.RawMessage, bool) {
	for _, x := range e {
		if x.IRI == iri {
			return x.Value, true
		}
	}
	return nil, false
}

// ObjectKind is the objectType of a statement's object, with the default
// (Activity) filled in.
type ObjectKind string

// Kinds of statement objects (Data §2.4.4).
const (
	KindActivity     ObjectKind = "Activity"
	KindAgent        ObjectKind = "Agent"
	KindGroup        ObjectKind = "Group"
	KindStatementRef ObjectKind = "StatementRef"
	KindSubStatement ObjectKind = "SubStatement"
)

// Object is what a statement's actor acted on. Which fields are set depends
// on Kind: ID and Definition for an Activity, Agent for an Agent or Group,
// ID for a StatementRef, SubStatement for a SubStatement.
type Object struct {
	Kind ObjectKind
	// ID is the Activity's IRI or the referenced statement's UUID.
	ID           string
	Definition   *ActivityDefinition
	Agent        *Agent
	SubStatement *Statement
}

// Activity is an activity in a statement's context (Data §2.4.6.2).
type Activity struct {
	ID         string
	Definition *ActivityDefinition
}

// ActivityDefinition is an activity's metadata (Data §2.4.4.1), including
// the interaction properties of cmi.interaction activities.
type ActivityDefinition struct {
	Name                    LanguageMap
	Description             LanguageMap
	Type                    string
	MoreInfo                string
	InteractionType         string
	CorrectResponsesPattern []string
	Choices                 []InteractionComponent
	Scale                   []InteractionComponent
	Source                  []InteractionComponent
	Target                  []InteractionComponent
	Steps                   []InteractionComponent
	Extensions              Extensions
}

// InteractionComponent is one choice, scale point, source, target or step
// of an interaction (Data §2.4.4.1 Interaction Components).
type InteractionComponent struct {
	ID          string
	Description LanguageMap
}

// Result is a measured outcome (Data §2.4.5).
type Result struct {
	Score      *Score
	Success    *bool
	Completion *bool
	Response   *string
	Duration   string // "" when absent
	Extensions Extensions
}

// Score is a graded outcome (Data §2.4.5.1). Absent values are nil.
type Score struct {
	Scaled, Raw, Min, Max *float64
}

// Context is the context of a statement (Data §2.4.6).
type Context struct {
	Registration      string
	Instructor        *Agent
	Team              *Agent
	ContextActivities *ContextActivities
	Revision          string
	Platform          string
	Language          string
	// Statement is the id of the StatementRef in "statement", or "".
	Statement  string
	Extensions Extensions
	// ContextAgents and ContextGroups exist in 2.0 only.
	ContextAgents []ContextAgent
	ContextGroups []ContextGroup
}

// ContextActivities holds the four kinds of context activity. Each is a
// list even when the statement gave a single object (Data §2.4.6.2).
type ContextActivities struct {
	Parent, Grouping, Category, Other []Activity
}

// ContextAgent is an agent in a 2.0 statement's context.
type ContextAgent struct {
	Agent         Agent
	RelevantTypes []string
}

// ContextGroup is a group in a 2.0 statement's context.
type ContextGroup struct {
	Group         Agent
	RelevantTypes []string
}

// Attachment describes a file attached to a statement (Data §2.4.11).
type Attachment struct {
	UsageType   string
	Display     LanguageMap
	Description LanguageMap
	ContentType string
	Length      int64
	SHA2        string
	FileURL     string
}

// SignatureUsageType is the usageType of the attachment holding a
// statement's JWS signature (Data §2.6).
const SignatureUsageType = "http://adlnet.gov/expapi/attachments/signature"

// Signature returns the statement's signature attachment, if it has one.
func (s *Statement) Signature() (*Attachment, bool) {
	for i := range s.Attachments {
		if s.Attachments[i].UsageType == SignatureUsageType {
			return &s.Attachments[i], true
		}
	}
	return nil, false
}

// IsVoiding reports whether s voids another statement (Data §2.3.2).
func IsVoiding(s *Statement) bool {
	return s.Verb.ID == VoidedVerb && s.Object.Kind == KindStatementRef
}

// VoidedID returns the id of the statement s voids, and whether s is a
// voiding statement at all.
func VoidedID(s *Statement) (string, bool) {
	if !IsVoiding(s) {
		return "", false
	}
	return s.Object.ID, true
}
