package xapi

// Slots of a context's properties, in the order they are checked (Data
// §2.4.6 table, then the 2.0 additions).
const (
	cRegistration = iota
	cInstructor
	cTeam
	cContextActivities
	cRevision
	cPlatform
	cLanguage
	cStatement
	cExtensions
	cContextAgents
	cContextGroups
	cCount
)

var contextKeys = [cCount]string{
	"registration", "instructor", "team", "contextActivities", "revision",
	"platform", "language", "statement", "extensions", "contextAgents",
	"contextGroups",
}

// context reads a statement's context (Data §2.4.6). Whether revision and
// platform are allowed depends on the object, which the statement checks.
func (d *decoder) context(i int32) (*Context, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	var slot [cCount]int32
	for k := range slot {
		slot[k] = -1
	}
members:
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		for k, name := range contextKeys {
			if key == name {
				if k >= cContextAgents && d.v != Version200 {
					return nil, failAt(key, "is only allowed in xAPI 2.0 statements")
				}
				slot[k] = v
				continue members
			}
		}
		return nil, failAt(key, ruleUnknown)
	}
	c := new(Context)
	var err *ValidationError
	if v := slot[cRegistration]; v >= 0 {
		if c.Registration, err = d.uuid(v); err != nil {
			return nil, err.under("registration")
		}
	}
	if v := slot[cInstructor]; v >= 0 {
		a, err := d.agent(v, roleActor)
		if err != nil {
			return nil, err.under("instructor")
		}
		c.Instructor = &a
	}
	if v := slot[cTeam]; v >= 0 {
		a, err := d.agent(v, roleGroup)
		if err != nil {
			return nil, err.under("team")
		}
		c.Team = &a
	}
	if v := slot[cContextActivities]; v >= 0 {
		if c.ContextActivities, err = d.contextActivities(v); err != nil {
			return nil, err.under("contextActivities")
		}
	}
	if v := slot[cRevision]; v >= 0 {
		if c.Revision, err = d.string(v); err != nil {
			return nil, err.under("revision")
		}
	}
	if v := slot[cPlatform]; v >= 0 {
		if c.Platform, err = d.string(v); err != nil {
			return nil, err.under("platform")
		}
	}
	if v := slot[cLanguage]; v >= 0 {
		if c.Language, err = d.formatted(v, validLangTag, ruleLangTag); err != nil {
			return nil, err.under("language")
		}
	}
	if v := slot[cStatement]; v >= 0 {
		if c.Statement, err = d.statementRef(v); err != nil {
			return nil, err.under("statement")
		}
	}
	if v := slot[cExtensions]; v >= 0 {
		if c.Extensions, err = d.extensions(v); err != nil {
			return nil, err.under("extensions")
		}
	}
	if v := slot[cContextAgents]; v >= 0 {
		if c.ContextAgents, err = d.contextAgents(v); err != nil {
			return nil, err.under("contextAgents")
		}
	}
	if v := slot[cContextGroups]; v >= 0 {
		if c.ContextGroups, err = d.contextGroups(v); err != nil {
			return nil, err.under("contextGroups")
		}
	}
	return c, nil
}

// contextActivities reads the contextActivities map; each value is an
// Activity or an array of them (Data §2.4.6.2).
func (d *decoder) contextActivities(i int32) (*ContextActivities, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	ca := new(ContextActivities)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		var list *[]Activity
		switch key {
		case "parent":
			list = &ca.Parent
		case "grouping":
			list = &ca.Grouping
		case "category":
			list = &ca.Category
		case "other":
			list = &ca.Other
		default:
			return nil, failAt(key, "is not a context type: use parent, grouping, category or other")
		}
		if d.t.at(v).kind == kindObject {
			a, err := d.activity(v)
			if err != nil {
				return nil, err.under(key)
			}
			*list = []Activity{a}
			continue
		}
		if d.t.at(v).kind != kindArray {
			return nil, d.typeError(v, "must be an Activity or an array of Activities").under(key)
		}
		n := d.t.at(v).n
		*list = make([]Activity, n)
		for k := range n {
			a, err := d.activity(d.t.elem(v, k))
			if err != nil {
				return nil, err.at(int(k)).under(key)
			}
			(*list)[k] = a
		}
	}
	return ca, nil
}

// contextAgents reads 2.0's context.contextAgents.
func (d *decoder) contextAgents(i int32) ([]ContextAgent, *ValidationError) {
	if err := d.array(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	out := make([]ContextAgent, n)
	for j := range n {
		a, types, err := d.contextActor(d.t.elem(i, j), "contextAgent", "agent", roleAgent)
		if err != nil {
			return nil, err.at(int(j))
		}
		out[j] = ContextAgent{Agent: a, RelevantTypes: types}
	}
	return out, nil
}

// contextGroups reads 2.0's context.contextGroups.
func (d *decoder) contextGroups(i int32) ([]ContextGroup, *ValidationError) {
	if err := d.array(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	out := make([]ContextGroup, n)
	for j := range n {
		g, types, err := d.contextActor(d.t.elem(i, j), "contextGroup", "group", roleGroup)
		if err != nil {
			return nil, err.at(int(j))
		}
		out[j] = ContextGroup{Group: g, RelevantTypes: types}
	}
	return out, nil
}

// contextActor reads {"objectType": typ, field: Agent or Group,
// "relevantTypes": [IRI, ...]}; relevantTypes, when present, is not empty.
func (d *decoder) contextActor(i int32, typ, field string, role agentRole) (Agent, []string, *ValidationError) {
	var a Agent
	if err := d.object(i); err != nil {
		return a, nil, err
	}
	ot, actor, types := int32(-1), int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "objectType":
			ot = v
		case field:
			actor = v
		case "relevantTypes":
			types = v
		default:
			return a, nil, failAt(key, ruleUnknown)
		}
	}
	if ot < 0 {
		return a, nil, failAt("objectType", ruleRequired)
	}
	if err := d.constant(ot, typ); err != nil {
		return a, nil, err.under("objectType")
	}
	if actor < 0 {
		return a, nil, failAt(field, ruleRequired)
	}
	a, err := d.agent(actor, role)
	if err != nil {
		return a, nil, err.under(field)
	}
	var list []string
	if types >= 0 {
		if list, err = d.iriList(types, true); err != nil {
			return a, nil, err.under("relevantTypes")
		}
	}
	return a, list, nil
}
