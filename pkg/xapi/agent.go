package xapi

import "strings"

// Agent is an Agent or a Group (Data §2.4.2). A Group has ObjectType
// "Group"; an Agent has "Agent" or, where the specification lets it be left
// out, "". At most one of the four inverse functional identifiers is set;
// none only in an anonymous Group.
type Agent struct {
	ObjectType  string
	Name        string
	Mbox        string
	MboxSHA1Sum string
	OpenID      string
	Account     *Account
	// Member lists a Group's members, all Agents. Its order carries no
	// meaning (Data §2.4.2.2).
	Member []Agent
}

// Account is a user account on some system (Data §2.4.2.4).
type Account struct {
	HomePage string
	Name     string
}

// IsGroup reports whether a is a Group.
func (a *Agent) IsGroup() bool { return a.ObjectType == "Group" }

// IFI returns a canonical key for a's inverse functional identifier, the
// same for every spelling the specification treats as equal, for indexing
// and for matching the agent query parameter: "mbox:mailto:ann@example.com"
// (scheme and domain lowercased), "mbox_sha1sum:<lowercase hex>",
// "openid:<IRI>", "account:<homePage>|<name>" (a homePage, being an IRI,
// cannot contain "|"). It is "" for an anonymous Group.
func (a *Agent) IFI() string {
	switch {
	case a.Mbox != "":
		return "mbox:" + canonicalMbox(a.Mbox)
	case a.MboxSHA1Sum != "":
		return "mbox_sha1sum:" + lowerASCII(a.MboxSHA1Sum)
	case a.OpenID != "":
		return "openid:" + a.OpenID
	case a.Account != nil:
		return "account:" + a.Account.HomePage + "|" + a.Account.Name
	}
	return ""
}

// ParseAgent decodes the JSON agent a request names in its "agent"
// parameter (Communication §2.1.3): an Agent or an identified Group, checked
// with the same rules as in a statement (Data §2.2: parameters are validated
// "to the same standards"). Error paths are relative to the agent
// ("account.homePage"); an empty Property means the agent as a whole.
func ParseAgent(data []byte, v Version) (Agent, error) {
	t, perr := parseTree(string(data))
	if perr != nil {
		return Agent{}, perr
	}
	defer t.release()
	d := decoder{t: t, v: v, raw: data}
	a, err := d.agent(t.root(), roleParam)
	if err != nil {
		return Agent{}, err
	}
	return a, nil
}

// agentRole is where an agent appears, which decides what it may be.
type agentRole uint8

const (
	roleActor     agentRole = iota // Agent or Group
	roleObject                     // Agent or Group, objectType required
	roleMember                     // Agent only: groups do not nest
	roleAgent                      // Agent only (contextAgents' agent)
	roleGroup                      // Group only (team, contextGroups' group)
	roleAuthority                  // Agent, or anonymous Group of two Agents
	roleParam                      // Agent or identified Group
)

// agent reads an Agent or Group (Data §2.4.2) in the given role.
func (d *decoder) agent(i int32, role agentRole) (Agent, *ValidationError) {
	var a Agent
	if err := d.object(i); err != nil {
		return a, err
	}
	t := d.t
	slot := [7]int32{-1, -1, -1, -1, -1, -1, -1}
	const (
		sObjectType = iota
		sName
		sMbox
		sSHA1
		sOpenID
		sAccount
		sMember
	)
	for j := range t.at(i).n {
		key, v := t.member(i, j)
		switch key {
		case "objectType":
			slot[sObjectType] = v
		case "name":
			slot[sName] = v
		case "mbox":
			slot[sMbox] = v
		case "mbox_sha1sum":
			slot[sSHA1] = v
		case "openid":
			slot[sOpenID] = v
		case "account":
			slot[sAccount] = v
		case "member":
			slot[sMember] = v
		default:
			return a, failAt(key, ruleUnknown)
		}
	}
	var err *ValidationError
	if v := slot[sObjectType]; v >= 0 {
		if a.ObjectType, err = d.string(v); err != nil {
			return a, err.under("objectType")
		}
		if err := checkAgentType(a.ObjectType, role); err != nil {
			return a, err.under("objectType")
		}
	} else if role == roleObject || role == roleGroup {
		// Data §2.4.4.2: an Agent or Group as object MUST say which; a
		// Group always says so (§2.4.2.2).
		return a, failAt("objectType", ruleRequired)
	}
	if v := slot[sName]; v >= 0 {
		if a.Name, err = d.string(v); err != nil {
			return a, err.under("name")
		}
	}
	ifis := 0
	if v := slot[sMbox]; v >= 0 {
		if a.Mbox, err = d.formatted(v, validMbox, ruleMbox); err != nil {
			return a, err.under("mbox")
		}
		ifis++
	}
	if v := slot[sSHA1]; v >= 0 {
		if a.MboxSHA1Sum, err = d.formatted(v, validSHA1, ruleSHA1); err != nil {
			return a, err.under("mbox_sha1sum")
		}
		ifis++
	}
	if v := slot[sOpenID]; v >= 0 {
		if a.OpenID, err = d.iri(v); err != nil {
			return a, err.under("openid")
		}
		ifis++
	}
	if v := slot[sAccount]; v >= 0 {
		if a.Account, err = d.account(v); err != nil {
			return a, err.under("account")
		}
		ifis++
	}
	if !a.IsGroup() {
		if slot[sMember] >= 0 {
			return a, failAt("member", "is only allowed in a Group")
		}
		if ifis != 1 {
			return a, fail(ruleIFI)
		}
		return a, nil
	}
	return a, d.group(&a, slot[sMember], ifis, role)
}

// group finishes a Group: its identifier and members (Data §2.4.2.2).
func (d *decoder) group(a *Agent, member int32, ifis int, role agentRole) *ValidationError {
	if ifis > 1 {
		return fail("an identified Group " + ruleIFI)
	}
	anonymous := ifis == 0
	switch {
	case anonymous && role == roleParam:
		return fail("must be an Agent or an identified Group: " + ruleIFI)
	case !anonymous && role == roleAuthority:
		// Data §2.4.9: a Group authority is the two Agents of 3-legged OAuth.
		return fail("a Group authority must be an anonymous Group of two Agents (3-legged OAuth)")
	case member < 0 && anonymous:
		return failAt("member", "is required in an anonymous Group (one without an inverse functional identifier)")
	case member < 0:
		return nil
	}
	if err := d.array(member); err != nil {
		return err.under("member")
	}
	n := d.t.at(member).n
	if anonymous && n == 0 {
		return failAt("member", "must list at least one Agent in an anonymous Group")
	}
	if role == roleAuthority && n != 2 {
		return failAt("member", "must list exactly two Agents in a Group authority (3-legged OAuth)")
	}
	a.Member = make([]Agent, n)
	for j := range n {
		m, err := d.agent(d.t.elem(member, j), roleMember)
		if err != nil {
			return err.at(int(j)).under("member")
		}
		a.Member[j] = m
	}
	return nil
}

// checkAgentType checks an agent's objectType against its role; the value
// is case-sensitive (Data §2.2).
func checkAgentType(typ string, role agentRole) *ValidationError {
	switch {
	case typ != "Agent" && typ != "Group":
		return fail(`must be "Agent" or "Group"`)
	case typ == "Group" && role == roleMember:
		return fail(`must be "Agent": a Group's members are Agents, Groups do not nest`)
	case typ == "Group" && role == roleAgent:
		return fail(`must be "Agent"`)
	case typ == "Agent" && role == roleGroup:
		return fail(`must be "Group"`)
	}
	return nil
}

// account reads an Account object (Data §2.4.2.4).
func (d *decoder) account(i int32) (*Account, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	homePage, name := int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "homePage":
			homePage = v
		case "name":
			name = v
		default:
			return nil, failAt(key, ruleUnknown)
		}
	}
	var acc Account
	var err *ValidationError
	if homePage < 0 {
		return nil, failAt("homePage", ruleRequired)
	}
	if acc.HomePage, err = d.formatted(homePage, validIRI, "must be an IRL with a scheme"); err != nil {
		return nil, err.under("homePage")
	}
	if name < 0 {
		return nil, failAt("name", ruleRequired)
	}
	if acc.Name, err = d.string(name); err != nil {
		return nil, err.under("name")
	}
	if strings.TrimSpace(acc.Name) == "" {
		return nil, failAt("name", "must not be empty: it identifies the account")
	}
	return &acc, nil
}
