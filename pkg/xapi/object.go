package xapi

import "strconv"

// statementObject reads a statement's object (Data §2.4.4). In a
// SubStatement (sub) the object cannot be another SubStatement.
func (d *decoder) statementObject(i int32, sub bool) (Object, *ValidationError) {
	var o Object
	if err := d.object(i); err != nil {
		return o, err
	}
	o.Kind = KindActivity
	if v := d.t.get(i, "objectType"); v >= 0 {
		typ, err := d.string(v)
		if err != nil {
			return o, err.under("objectType")
		}
		o.Kind = ObjectKind(typ)
	}
	switch o.Kind {
	case KindActivity:
		a, err := d.activity(i)
		o.ID, o.Definition = a.ID, a.Definition
		return o, err
	case KindAgent, KindGroup:
		a, err := d.agent(i, roleObject)
		o.Agent = &a
		return o, err
	case KindStatementRef:
		id, err := d.statementRef(i)
		o.ID = id
		return o, err
	case KindSubStatement:
		if sub {
			// Data §2.4.4.3: a SubStatement "MUST NOT contain a SubStatement".
			return o, failAt("objectType", "must not be SubStatement inside a SubStatement")
		}
		s, err := d.statement(i, true)
		o.SubStatement = &s
		return o, err
	}
	return o, failAt("objectType", `must be "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`)
}

// statementRef reads a Statement Reference (Data §2.4.4.3) and returns the
// referenced id, lowercased.
func (d *decoder) statementRef(i int32) (string, *ValidationError) {
	if err := d.object(i); err != nil {
		return "", err
	}
	typ, id := int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "objectType":
			typ = v
		case "id":
			id = v
		default:
			return "", failAt(key, ruleUnknown)
		}
	}
	if typ < 0 {
		return "", failAt("objectType", ruleRequired)
	}
	if err := d.constant(typ, "StatementRef"); err != nil {
		return "", err.under("objectType")
	}
	if id < 0 {
		return "", failAt("id", ruleRequired)
	}
	s, err := d.uuid(id)
	if err != nil {
		return "", err.under("id")
	}
	return s, nil
}

// activity reads an Activity (Data §2.4.4.1).
func (d *decoder) activity(i int32) (Activity, *ValidationError) {
	var a Activity
	if err := d.object(i); err != nil {
		return a, err
	}
	typ, id, def := int32(-1), int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "objectType":
			typ = v
		case "id":
			id = v
		case "definition":
			def = v
		default:
			return a, failAt(key, ruleUnknown)
		}
	}
	if typ >= 0 {
		if err := d.constant(typ, "Activity"); err != nil {
			return a, err.under("objectType")
		}
	}
	if id < 0 {
		return a, failAt("id", ruleRequired)
	}
	var err *ValidationError
	if a.ID, err = d.iri(id); err != nil {
		return a, err.under("id")
	}
	if def >= 0 {
		if a.Definition, err = d.definition(def); err != nil {
			return a, err.under("definition")
		}
	}
	return a, nil
}

// Slots of an activity definition's properties, in the order they are
// checked (Data §2.4.4.1 tables).
const (
	dName = iota
	dDescription
	dType
	dMoreInfo
	dInteractionType
	dCorrectResponses
	dChoices
	dScale
	dSource
	dTarget
	dSteps
	dExtensions
	dCount
)

var definitionKeys = [dCount]string{
	"name", "description", "type", "moreInfo", "interactionType",
	"correctResponsesPattern", "choices", "scale", "source", "target", "steps",
	"extensions",
}

// componentLists says which interaction component lists each
// interactionType supports (Data §2.4.4.1 Interaction Components).
var componentLists = map[string][]int{
	"true-false":   nil,
	"choice":       {dChoices},
	"fill-in":      nil,
	"long-fill-in": nil,
	"matching":     {dSource, dTarget},
	"performance":  {dSteps},
	"sequencing":   {dChoices},
	"likert":       {dScale},
	"numeric":      nil,
	"other":        nil,
}

// definition reads an Activity Definition.
func (d *decoder) definition(i int32) (*ActivityDefinition, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	var slot [dCount]int32
	for k := range slot {
		slot[k] = -1
	}
members:
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		for k, name := range definitionKeys {
			if key == name {
				slot[k] = v
				continue members
			}
		}
		return nil, failAt(key, ruleUnknown)
	}
	def := new(ActivityDefinition)
	var err *ValidationError
	if v := slot[dName]; v >= 0 {
		if def.Name, err = d.langMap(v); err != nil {
			return nil, err.under("name")
		}
	}
	if v := slot[dDescription]; v >= 0 {
		if def.Description, err = d.langMap(v); err != nil {
			return nil, err.under("description")
		}
	}
	if v := slot[dType]; v >= 0 {
		if def.Type, err = d.iri(v); err != nil {
			return nil, err.under("type")
		}
	}
	if v := slot[dMoreInfo]; v >= 0 {
		if def.MoreInfo, err = d.formatted(v, validIRI, "must be an IRL with a scheme"); err != nil {
			return nil, err.under("moreInfo")
		}
	}
	if err := d.interaction(def, &slot); err != nil {
		return nil, err
	}
	if v := slot[dExtensions]; v >= 0 {
		if def.Extensions, err = d.extensions(v); err != nil {
			return nil, err.under("extensions")
		}
	}
	return def, nil
}

// interaction reads the interaction properties of a definition: the type,
// the correct responses and the component lists that type supports.
func (d *decoder) interaction(def *ActivityDefinition, slot *[dCount]int32) *ValidationError {
	v := slot[dInteractionType]
	if v < 0 {
		// Data §2.4.4.1: "Interaction Activities MUST have a valid
		// interactionType."
		for k := dCorrectResponses; k <= dSteps; k++ {
			if slot[k] >= 0 {
				return failAt(definitionKeys[k], "needs an interactionType")
			}
		}
		return nil
	}
	typ, err := d.string(v)
	if err != nil {
		return err.under("interactionType")
	}
	lists, known := componentLists[typ]
	if !known {
		return failAt("interactionType", "must be one of true-false, choice, fill-in, long-fill-in, matching, performance, sequencing, likert, numeric, other")
	}
	def.InteractionType = typ
	if v := slot[dCorrectResponses]; v >= 0 {
		if err := d.array(v); err != nil {
			return err.under("correctResponsesPattern")
		}
		n := d.t.at(v).n
		def.CorrectResponsesPattern = make([]string, n)
		for j := range n {
			s, err := d.string(d.t.elem(v, j))
			if err != nil {
				return err.at(int(j)).under("correctResponsesPattern")
			}
			def.CorrectResponsesPattern[j] = s
		}
	}
	targets := [...]*[]InteractionComponent{
		dChoices: &def.Choices, dScale: &def.Scale, dSource: &def.Source,
		dTarget: &def.Target, dSteps: &def.Steps,
	}
	for k := dChoices; k <= dSteps; k++ {
		v := slot[k]
		if v < 0 {
			continue
		}
		supported := false
		for _, l := range lists {
			supported = supported || l == k
		}
		if !supported {
			return failAt(definitionKeys[k], "is not used by interactionType "+typ)
		}
		comps, err := d.components(v)
		if err != nil {
			return err.under(definitionKeys[k])
		}
		*targets[k] = comps
	}
	return nil
}

// components reads an interaction component list; ids must be distinct
// within it (Data §2.4.4.1 Interaction Components requirements).
func (d *decoder) components(i int32) ([]InteractionComponent, *ValidationError) {
	if err := d.array(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	out := make([]InteractionComponent, n)
	var seen map[string]int // for long lists only
	if n > 16 {
		seen = make(map[string]int, n)
	}
	for j := range n {
		c, err := d.component(d.t.elem(i, j))
		if err != nil {
			return nil, err.at(int(j))
		}
		first := -1
		if seen != nil {
			if k, ok := seen[c.ID]; ok {
				first = k
			}
			seen[c.ID] = int(j)
		} else {
			for k := range j {
				if out[k].ID == c.ID {
					first = int(k)
					break
				}
			}
		}
		if first >= 0 {
			return nil, failAt("id", "repeats the id of component ["+strconv.Itoa(first)+"]; ids must be distinct").at(int(j))
		}
		out[j] = c
	}
	return out, nil
}

func (d *decoder) component(i int32) (InteractionComponent, *ValidationError) {
	var c InteractionComponent
	if err := d.object(i); err != nil {
		return c, err
	}
	id, desc := int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "id":
			id = v
		case "description":
			desc = v
		default:
			return c, failAt(key, ruleUnknown)
		}
	}
	if id < 0 {
		return c, failAt("id", ruleRequired)
	}
	var err *ValidationError
	if c.ID, err = d.string(id); err != nil {
		return c, err.under("id")
	}
	if c.ID == "" {
		return c, failAt("id", "must not be empty")
	}
	if desc >= 0 {
		if c.Description, err = d.langMap(desc); err != nil {
			return c, err.under("description")
		}
	}
	return c, nil
}
