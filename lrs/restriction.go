package lrs

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// Restriction narrows a credential to one learner's session of one
// activity in one registration: what a cmi5 launch hands the course it
// launches (see lrs/cmi5). The credential's scopes say which resources it
// may use at all; the restriction says which records of them.
type Restriction struct {
	// Agent is the learner's identifier (xapi.Agent.IFI): every statement's
	// actor, and the agent of every document.
	Agent string `json:"agent"`
	// Registration every statement's context and every state document
	// must have.
	Registration string `json:"registration"`
	// ActivityID is the activity whose state documents it may use.
	ActivityID string `json:"activityId"`
	// Extension and Value, when Extension is set, are a context extension
	// every statement must carry with this string value: cmi5's session id.
	Extension string `json:"extension,omitempty"`
	Value     string `json:"value,omitempty"`
	// ReadOnlyState are state documents it may read but never write or
	// delete (LMS.LaunchData).
	ReadOnlyState []string `json:"readOnlyState,omitempty"`
	// Profiles are the learner's agent profile documents it may read; it
	// writes none.
	Profiles []string `json:"profiles,omitempty"`
	// DeniedVerbs are verbs its statements may not use: those only the
	// launcher sends. Voiding is always denied.
	DeniedVerbs []string `json:"deniedVerbs,omitempty"`
	// EndVerb is the verb of the statement, about ActivityID, that ends
	// the session; the credential then expires Grace later, so that
	// statements still on their way land.
	EndVerb string        `json:"endVerb,omitempty"`
	Grace   time.Duration `json:"grace,omitempty"`
}

// ForbiddenError is a request a restricted credential may not make (403):
// Property names the part of the request at fault, Rule says what it must
// be.
type ForbiddenError struct {
	Property, Rule string
}

func (e *ForbiddenError) Error() string { return e.Property + ": " + e.Rule }

// CheckStatement returns a *ForbiddenError when the statement, the i-th
// of a batch (i < 0 for a single statement), is not one the credential
// may store.
func (r *Restriction) CheckStatement(i int, st *xapi.Statement) error {
	path := func(p string) string {
		if i < 0 {
			return p
		}
		return fmt.Sprintf("[%d].%s", i, p)
	}
	switch {
	case st.Actor.IsGroup() || st.Actor.IFI() != r.Agent:
		return &ForbiddenError{path("actor"), "must be the launched learner: this credential writes only that learner's statements"}
	case st.Verb.ID == xapi.VoidedVerb:
		return &ForbiddenError{path("verb.id"), "must not be voided: this credential may not void statements"}
	case slices.Contains(r.DeniedVerbs, st.Verb.ID):
		return &ForbiddenError{path("verb.id"), "must not be " + st.Verb.ID + ": only the launcher sends it"}
	case st.Context == nil || st.Context.Registration != r.Registration:
		return &ForbiddenError{path("context.registration"), "must be " + r.Registration + ", the launch's registration"}
	}
	if r.Extension != "" {
		want, _ := json.Marshal(r.Value)
		got, _ := st.Context.Extensions.Get(r.Extension)
		var v string
		if json.Unmarshal(got, &v) != nil || v != r.Value {
			return &ForbiddenError{path("context.extensions." + r.Extension), "must be " + string(want) + ", the launch's session"}
		}
	}
	return nil
}

// CheckDocument returns a *ForbiddenError when the credential may not read
// (write false) or write the documents under key. A key without an ID
// names all of a context's documents: listing them is a read, deleting
// them a write.
func (r *Restriction) CheckDocument(key DocumentKey, write bool) error {
	switch key.Kind {
	case KindState:
		switch {
		case key.ActivityID != r.ActivityID:
			return &ForbiddenError{"activityId", "must be " + r.ActivityID + ", the launched activity"}
		case key.Agent != r.Agent:
			return &ForbiddenError{"agent", "must be the launched learner"}
		case key.Registration != r.Registration:
			return &ForbiddenError{"registration", "must be " + r.Registration + ", the launch's registration"}
		case write && key.ID == "":
			return &ForbiddenError{"stateId", "is required: this credential deletes one document at a time"}
		case write && slices.Contains(r.ReadOnlyState, key.ID):
			return &ForbiddenError{"stateId", key.ID + " is the launcher's: this credential may read it, not change it"}
		}
		return nil
	case KindAgentProfile:
		switch {
		case write:
			return &ForbiddenError{"profileId", "agent profiles are read-only to this credential"}
		case key.Agent != r.Agent:
			return &ForbiddenError{"agent", "must be the launched learner"}
		case !slices.Contains(r.Profiles, key.ID):
			return &ForbiddenError{"profileId", fmt.Sprintf("must be one of %q: this credential reads only the learner's preferences", r.Profiles)}
		}
		return nil
	}
	return &ForbiddenError{"resource", "this credential may use the Statements, State and Agent Profile resources of its launch only"}
}

// Ends reports whether the statements include the one that ends the
// session: EndVerb about ActivityID.
func (r *Restriction) Ends(sts []xapi.Statement) bool {
	if r.EndVerb == "" {
		return false
	}
	for i := range sts {
		if sts[i].Verb.ID == r.EndVerb && sts[i].Object.Kind == xapi.KindActivity && sts[i].Object.ID == r.ActivityID {
			return true
		}
	}
	return false
}
