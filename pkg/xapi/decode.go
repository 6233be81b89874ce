package xapi

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
)

// DecodeStatement decodes and validates the body of a PUT: exactly one
// statement, a JSON object. The error, when not nil, is a *ValidationError.
//
// The statement's Raw and its strings share memory with private copies of
// data, never with data itself, so the caller may reuse data.
func DecodeStatement(data []byte, v Version) (*Statement, error) {
	d, root, err := newDecoder(data, v)
	if err != nil {
		return nil, err
	}
	defer d.t.release()
	if d.t.at(root).kind != kindObject {
		return nil, d.typeError(root, "must be a statement (a JSON object)")
	}
	s, verr := d.topStatement(root)
	if verr != nil {
		return nil, verr
	}
	return &s, nil
}

// DecodeStatements decodes and validates the body of a POST: one statement
// or an array of them (Communication §2.1.2). The whole batch fails if any
// statement does (Communication §3.2), and so do two statements with the
// same id (§2.1.1; mandatory in 2.0). In a batch, error paths start with the
// statement's position: "[3].verb.id". The error, when not nil, is a
// *ValidationError.
func DecodeStatements(data []byte, v Version) ([]Statement, error) {
	d, root, err := newDecoder(data, v)
	if err != nil {
		return nil, err
	}
	defer d.t.release()
	switch d.t.at(root).kind {
	case kindObject:
		s, verr := d.topStatement(root)
		if verr != nil {
			return nil, verr
		}
		return []Statement{s}, nil
	case kindArray:
	default:
		return nil, d.typeError(root, "must be a statement (a JSON object) or an array of statements")
	}
	n := d.t.at(root).n
	out := make([]Statement, n)
	var ids map[string]int
	for j := range n {
		e := d.t.elem(root, j)
		if d.t.at(e).kind != kindObject {
			return nil, d.typeError(e, "must be a statement (a JSON object)").at(int(j))
		}
		s, verr := d.topStatement(e)
		if verr != nil {
			return nil, verr.at(int(j))
		}
		if s.ID != "" {
			if ids == nil {
				ids = make(map[string]int, n)
			}
			if k, dup := ids[s.ID]; dup {
				return nil, failAt("id", "repeats the id of statement ["+strconv.Itoa(k)+"]; ids in a batch must be distinct").at(int(j))
			}
			ids[s.ID] = int(j)
		}
		out[j] = s
	}
	return out, nil
}

func newDecoder(data []byte, v Version) (*decoder, int32, *ValidationError) {
	if v != Version103 && v != Version200 {
		return nil, 0, fail("unsupported xAPI version " + v.String())
	}
	t, err := parseTree(string(data))
	if err != nil {
		return nil, 0, err
	}
	return &decoder{t: t, v: v, raw: bytes.Clone(data)}, t.root(), nil
}

// topStatement reads a statement that is not a SubStatement and records its
// source text.
func (d *decoder) topStatement(i int32) (Statement, *ValidationError) {
	s, err := d.statement(i, false)
	if err != nil {
		return s, err
	}
	n := d.t.at(i)
	s.Raw = d.raw[n.start:n.end:n.end]
	s.text = d.t.src[n.start:n.end]
	s.layout = d.layout(i)
	return s, nil
}

// layout records where statement i's parts are, relative to its start.
func (d *decoder) layout(i int32) *layout {
	t := d.t
	base := t.at(i).start
	l := new(layout)
	rel := func(v int32) span { return span{t.at(v).start - base, t.at(v).end - base} }
	for j := range t.at(i).n {
		key, v := t.member(i, j)
		for k, name := range statementKeys {
			if key == name {
				l.members[k] = rel(v)
			}
		}
	}
	// Single context activities, in the statement's context and in a
	// SubStatement's (only a SubStatement object has a context), in text
	// order.
	for _, c := range []int32{t.get(i, "context"), t.get(t.get(i, "object"), "context")} {
		ca := t.get(c, "contextActivities")
		for j := range max(t.n(ca), 0) {
			if _, v := t.member(ca, j); t.at(v).kind == kindObject {
				l.singles = append(l.singles, rel(v))
			}
		}
	}
	slices.SortFunc(l.singles, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return l
}

// Slots of a statement's properties, in the order of the Data §2.4 table.
const (
	sID = iota
	sActor
	sVerb
	sObject
	sResult
	sContext
	sTimestamp
	sStored
	sAuthority
	sVersion
	sAttachments
	sObjectType // SubStatements only
	sCount
)

var statementKeys = [sCount]string{
	"id", "actor", "verb", "object", "result", "context", "timestamp",
	"stored", "authority", "version", "attachments", "objectType",
}

// statement reads a Statement, or a SubStatement when sub is set (Data
// §2.4.4.3: validated as a Statement, without "id", "stored", "version" or
// "authority", and not nested).
func (d *decoder) statement(i int32, sub bool) (Statement, *ValidationError) {
	var s Statement
	var slot [sCount]int32
	for k := range slot {
		slot[k] = -1
	}
members:
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		for k, name := range statementKeys {
			if key != name {
				continue
			}
			switch {
			case sub && (k == sID || k == sStored || k == sVersion || k == sAuthority):
				return s, failAt(key, "must not be used in a SubStatement")
			case !sub && k == sObjectType:
				return s, failAt(key, ruleUnknown)
			}
			slot[k] = v
			continue members
		}
		return s, failAt(key, ruleUnknown)
	}
	var err *ValidationError
	if v := slot[sID]; v >= 0 {
		if s.ID, err = d.uuid(v); err != nil {
			return s, err.under("id")
		}
	}
	// Data §2.2: "A Statement MUST use actor, verb, and object."
	for _, k := range []int{sActor, sVerb, sObject} {
		if slot[k] < 0 {
			return s, failAt(statementKeys[k], ruleRequired)
		}
	}
	if s.Actor, err = d.agent(slot[sActor], roleActor); err != nil {
		return s, err.under("actor")
	}
	if s.Verb, err = d.verb(slot[sVerb]); err != nil {
		return s, err.under("verb")
	}
	if s.Object, err = d.statementObject(slot[sObject], sub); err != nil {
		return s, err.under("object")
	}
	if s.Verb.ID == VoidedVerb {
		if sub {
			return s, failAt("id", "must not be the voided verb in a SubStatement, which describes no event to void").under("verb")
		}
		if s.Object.Kind != KindStatementRef {
			// Data §2.3.2.
			return s, failAt("objectType", "must be StatementRef when the verb is "+VoidedVerb).under("object")
		}
	}
	if v := slot[sResult]; v >= 0 {
		if s.Result, err = d.result(v); err != nil {
			return s, err.under("result")
		}
	}
	if v := slot[sContext]; v >= 0 {
		if s.Context, err = d.context(v); err != nil {
			return s, err.under("context")
		}
		if err := d.checkActivityOnly(v, s.Object.Kind); err != nil {
			return s, err.under("context")
		}
	}
	if v := slot[sTimestamp]; v >= 0 {
		if s.Timestamp, err = d.timestamp(v); err != nil {
			return s, err.under("timestamp")
		}
	}
	if v := slot[sStored]; v >= 0 {
		// Data §2.4.8: the LRS "SHOULD validate and then MUST overwrite".
		if s.Stored, err = d.timestamp(v); err != nil {
			return s, err.under("stored")
		}
	}
	if v := slot[sAuthority]; v >= 0 {
		a, err := d.agent(v, roleAuthority)
		if err != nil {
			return s, err.under("authority")
		}
		s.Authority = &a
	}
	if v := slot[sVersion]; v >= 0 {
		rule := `must be a 1.0.x version such as "1.0.0"`
		if d.v == Version200 {
			rule = `must be a 1.0.x or 2.0.x version such as "2.0.0"`
		}
		if s.Version, err = d.formatted(v, d.v.acceptsStatementVersion, rule); err != nil {
			return s, err.under("version")
		}
	}
	if v := slot[sAttachments]; v >= 0 {
		if s.Attachments, err = d.attachments(v); err != nil {
			return s, err.under("attachments")
		}
	}
	return s, nil
}

// checkActivityOnly enforces Data §2.4.6: "revision" and "platform" MUST
// only be used if the statement's object is an Activity.
func (d *decoder) checkActivityOnly(context int32, kind ObjectKind) *ValidationError {
	if kind == KindActivity {
		return nil
	}
	for _, key := range []string{"revision", "platform"} {
		if d.t.get(context, key) >= 0 {
			return failAt(key, "must only be used when the object is an Activity")
		}
	}
	return nil
}

// verb reads a Verb (Data §2.4.3).
func (d *decoder) verb(i int32) (Verb, *ValidationError) {
	var vb Verb
	if err := d.object(i); err != nil {
		return vb, err
	}
	id, display := int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "id":
			id = v
		case "display":
			display = v
		default:
			return vb, failAt(key, ruleUnknown)
		}
	}
	if id < 0 {
		return vb, failAt("id", ruleRequired)
	}
	var err *ValidationError
	if vb.ID, err = d.iri(id); err != nil {
		return vb, err.under("id")
	}
	if display >= 0 {
		if vb.Display, err = d.langMap(display); err != nil {
			return vb, err.under("display")
		}
	}
	return vb, nil
}
