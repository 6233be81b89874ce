package xapi

// DirectAgents returns the IFI keys (see Agent.IFI) the "agent" query
// parameter matches when related_agents is false: the actor and, when it is
// an Agent or Group, the object (Communication §2.1.3). A Group contributes
// its own IFI, if identified, and its members', since "Groups that have
// members which match the specified Agent ... are considered a match".
// Keys are distinct, in the order first met.
func DirectAgents(s *Statement) []string {
	var c ifiSet
	c.agent(&s.Actor)
	c.agent(s.Object.Agent)
	return c.list
}

// RelatedAgents returns the IFI keys the "agent" parameter matches when
// related_agents is true: the actor, object, authority, context instructor
// and team, the same properties of a SubStatement object (Communication
// §2.1.3), and in 2.0 the context agents and groups. Group members are
// included as in DirectAgents.
func RelatedAgents(s *Statement) []string {
	var c ifiSet
	c.statement(s)
	c.agent(s.Authority)
	if sub := s.Object.SubStatement; sub != nil {
		c.statement(sub)
	}
	return c.list
}

// RelatedActivities returns the Activity ids the "activity" parameter
// matches when related_activities is true: the object, every context
// activity, and the same properties of a SubStatement object (Communication
// §2.1.3). Without related_activities only the object matches, which needs
// no helper: s.Object.ID when s.Object.Kind is KindActivity.
func RelatedActivities(s *Statement) []string {
	var c idSet
	c.activities(s)
	if sub := s.Object.SubStatement; sub != nil {
		c.activities(sub)
	}
	return c.list
}

// ifiSet collects distinct IFI keys in order.
type ifiSet struct{ idSet }

func (c *ifiSet) statement(s *Statement) {
	c.agent(&s.Actor)
	c.agent(s.Object.Agent)
	if ctx := s.Context; ctx != nil {
		c.agent(ctx.Instructor)
		c.agent(ctx.Team)
		for i := range ctx.ContextAgents {
			c.agent(&ctx.ContextAgents[i].Agent)
		}
		for i := range ctx.ContextGroups {
			c.agent(&ctx.ContextGroups[i].Group)
		}
	}
}

func (c *ifiSet) agent(a *Agent) {
	if a == nil {
		return
	}
	c.add(a.IFI())
	for i := range a.Member {
		c.add(a.Member[i].IFI())
	}
}

// idSet collects distinct non-empty strings in order; a map takes over from
// linear search once the list is long.
type idSet struct {
	list []string
	seen map[string]struct{}
}

func (c *idSet) add(s string) {
	if s == "" {
		return
	}
	if c.seen != nil {
		if _, dup := c.seen[s]; dup {
			return
		}
		c.seen[s] = struct{}{}
	} else {
		for _, x := range c.list {
			if x == s {
				return
			}
		}
		if len(c.list) == 16 {
			c.seen = make(map[string]struct{}, 64)
			for _, x := range c.list {
				c.seen[x] = struct{}{}
			}
			c.seen[s] = struct{}{}
		}
	}
	c.list = append(c.list, s)
}

func (c *idSet) activities(s *Statement) {
	if s.Object.Kind == KindActivity {
		c.add(s.Object.ID)
	}
	if s.Context == nil || s.Context.ContextActivities == nil {
		return
	}
	ca := s.Context.ContextActivities
	for _, list := range [][]Activity{ca.Parent, ca.Grouping, ca.Category, ca.Other} {
		for i := range list {
			c.add(list[i].ID)
		}
	}
}
