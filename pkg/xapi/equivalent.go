package xapi

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Equivalent reports whether two statements match under the Statement
// Comparison Requirements (Data §2.3.1): differences that the exceptions to
// immutability could cause are ignored, all others count. That means
// ignoring:
//
//   - what the LRS assigns: id, stored, authority, version, and timestamp
//     when either statement lacks one (§2.3.1, first exception);
//   - Activity definitions, wherever activities appear, and the verb's
//     display: they are not part of the statement (second and third);
//   - how a timestamp is written: timestamps compare as instants, to the
//     millisecond (fourth; §4.5 allows rounding to milliseconds);
//   - the order of a Group's members (fifth);
//   - attachments (sixth);
//   - case where it carries no meaning (seventh): UUIDs, the mbox scheme
//     and domain, mbox_sha1sum hex digits, the context language tag.
//
// It also treats a default the specification defines as equal to writing it
// out: an object without objectType is an Activity, an actor without one is
// an Agent, a single context activity is a list of one (the LRS must return
// it as a list, §2.4.6.2). Durations compare as strings (§2.3.1) to the
// hundredth of a second (§4.6). Extensions compare as JSON values: member
// order, number spelling and string escapes do not matter.
//
// To compare a stored statement, decode its JSON with Version200, whose
// rules accept every statement this package accepts.
func Equivalent(a, b *Statement) bool {
	return sameStatement(a, b)
}

func sameStatement(a, b *Statement) bool {
	return sameAgent(&a.Actor, &b.Actor) &&
		a.Verb.ID == b.Verb.ID &&
		sameObject(&a.Object, &b.Object) &&
		sameResult(a.Result, b.Result) &&
		sameContext(a.Context, b.Context) &&
		sameInstant(a.Timestamp, b.Timestamp)
}

func sameInstant(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return true // one of them had it assigned by an LRS
	}
	return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond))
}

func sameObject(a, b *Object) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindAgent, KindGroup:
		return sameAgent(a.Agent, b.Agent)
	case KindSubStatement:
		return sameStatement(a.SubStatement, b.SubStatement)
	}
	return a.ID == b.ID // Activity (definition ignored) or StatementRef
}

// sameAgent compares agents and groups; nil and absent are the same.
func sameAgent(a, b *Agent) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	typ := func(x *Agent) string {
		if x.ObjectType == "" {
			return "Agent"
		}
		return x.ObjectType
	}
	if typ(a) != typ(b) || a.Name != b.Name || a.IFI() != b.IFI() || len(a.Member) != len(b.Member) {
		return false
	}
	// Members are unordered: match each of a's to a distinct one of b's.
	used := make([]bool, len(b.Member))
next:
	for i := range a.Member {
		for j := range b.Member {
			if !used[j] && sameAgent(&a.Member[i], &b.Member[j]) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}

func sameResult(a, b *Result) bool {
	var za, zb Result
	if a == nil {
		a = &za
	}
	if b == nil {
		b = &zb
	}
	return sameScore(a.Score, b.Score) &&
		sameBool(a.Success, b.Success) &&
		sameBool(a.Completion, b.Completion) &&
		sameString(a.Response, b.Response) &&
		comparableDuration(a.Duration) == comparableDuration(b.Duration) &&
		sameExtensions(a.Extensions, b.Extensions)
}

func sameScore(a, b *Score) bool {
	var za, zb Score
	if a == nil {
		a = &za
	}
	if b == nil {
		b = &zb
	}
	return sameFloat(a.Scaled, b.Scaled) && sameFloat(a.Raw, b.Raw) &&
		sameFloat(a.Min, b.Min) && sameFloat(a.Max, b.Max)
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameBool(a, b *bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameString(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameContext(a, b *Context) bool {
	var za, zb Context
	if a == nil {
		a = &za
	}
	if b == nil {
		b = &zb
	}
	if a.Registration != b.Registration || a.Revision != b.Revision ||
		a.Platform != b.Platform || !strings.EqualFold(a.Language, b.Language) ||
		a.Statement != b.Statement ||
		!sameAgent(a.Instructor, b.Instructor) || !sameAgent(a.Team, b.Team) ||
		!sameContextActivities(a.ContextActivities, b.ContextActivities) ||
		!sameExtensions(a.Extensions, b.Extensions) ||
		len(a.ContextAgents) != len(b.ContextAgents) || len(a.ContextGroups) != len(b.ContextGroups) {
		return false
	}
	for i := range a.ContextAgents {
		x, y := &a.ContextAgents[i], &b.ContextAgents[i]
		if !sameAgent(&x.Agent, &y.Agent) || !slices.Equal(x.RelevantTypes, y.RelevantTypes) {
			return false
		}
	}
	for i := range a.ContextGroups {
		x, y := &a.ContextGroups[i], &b.ContextGroups[i]
		if !sameAgent(&x.Group, &y.Group) || !slices.Equal(x.RelevantTypes, y.RelevantTypes) {
			return false
		}
	}
	return true
}

func sameContextActivities(a, b *ContextActivities) bool {
	var za, zb ContextActivities
	if a == nil {
		a = &za
	}
	if b == nil {
		b = &zb
	}
	return sameActivityIDs(a.Parent, b.Parent) && sameActivityIDs(a.Grouping, b.Grouping) &&
		sameActivityIDs(a.Category, b.Category) && sameActivityIDs(a.Other, b.Other)
}

func sameActivityIDs(a, b []Activity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// sameExtensions compares extensions regardless of their order; names are
// distinct within each (the parser rejects repeated names).
func sameExtensions(a, b Extensions) bool {
	if len(a) != len(b) {
		return false
	}
	var index map[string]json.RawMessage
	if len(b) > 16 {
		index = make(map[string]json.RawMessage, len(b))
		for _, x := range b {
			index[x.IRI] = x.Value
		}
	}
	for _, x := range a {
		var vb json.RawMessage
		var ok bool
		if index != nil {
			vb, ok = index[x.IRI]
		} else {
			vb, ok = b.Get(x.IRI)
		}
		if !ok || !jsonEqual(string(x.Value), string(vb)) {
			return false
		}
	}
	return true
}
