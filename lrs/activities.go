package lrs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// ActivityStore reads what the store has learned of activities and agents
// from statements (Statement.Definitions and Statement.AgentNames), for
// the Activities and Agents resources.
type ActivityStore interface {
	// ActivityDefinition returns the canonical definition of the activity
	// (see MergeDefinition) and when it last changed, or ErrNotFound.
	ActivityDefinition(ctx context.Context, id string) ([]byte, time.Time, error)
	// AgentNames returns the names statements gave the agent with this
	// identifier (xapi.Agent.IFI), sorted.
	AgentNames(ctx context.Context, ifi string) ([]string, error)
}

// Definition is an activity definition a statement carries, as JSON in
// the form MergeDefinition reads and writes.
type Definition struct {
	ActivityID string
	JSON       []byte
}

// AgentName is a name a statement gives an agent.
type AgentName struct {
	IFI, Name string
}

// maxLearnedName bounds the names learned: a name is part of an index key.
const maxLearnedName = 512

// learn returns what a statement tells of its activities (their
// definitions) and agents (their names), in the order it tells it.
func learn(st *xapi.Statement) ([]Definition, []AgentName) {
	var (
		defs  []Definition
		names []AgentName
	)
	activity := func(id string, def *xapi.ActivityDefinition) {
		if def == nil {
			return
		}
		// The decoder checked every value, so this does not fail; if it
		// did, the statement would teach nothing rather than fail.
		if js, err := definitionJSON(def); err == nil {
			defs = append(defs, Definition{ActivityID: id, JSON: js})
		}
	}
	var agent func(a *xapi.Agent)
	agent = func(a *xapi.Agent) {
		if a == nil {
			return
		}
		if ifi := a.IFI(); ifi != "" && a.Name != "" && len(a.Name) <= maxLearnedName {
			names = append(names, AgentName{IFI: ifi, Name: a.Name})
		}
		for i := range a.Member {
			agent(&a.Member[i])
		}
	}
	var statement func(s *xapi.Statement)
	statement = func(s *xapi.Statement) {
		agent(&s.Actor)
		switch s.Object.Kind {
		case xapi.KindActivity:
			activity(s.Object.ID, s.Object.Definition)
		case xapi.KindAgent, xapi.KindGroup:
			agent(s.Object.Agent)
		case xapi.KindSubStatement:
			statement(s.Object.SubStatement)
		}
		if c := s.Context; c != nil {
			agent(c.Instructor)
			agent(c.Team)
			for i := range c.ContextAgents {
				agent(&c.ContextAgents[i].Agent)
			}
			for i := range c.ContextGroups {
				agent(&c.ContextGroups[i].Group)
			}
			if ca := c.ContextActivities; ca != nil {
				for _, list := range [][]xapi.Activity{ca.Parent, ca.Grouping, ca.Category, ca.Other} {
					for _, a := range list {
						activity(a.ID, a.Definition)
					}
				}
			}
		}
	}
	statement(st)
	return defs, names
}

// Activity returns the Activities resource's answer for the id: the
// Activity object with the canonical definition the LRS has learned, or
// just the id when it has learned none (Communication §2.5), and when the
// definition last changed (zero without one).
func (d *Documents) Activity(ctx context.Context, id string) ([]byte, time.Time, error) {
	def, updated, err := d.known.ActivityDefinition(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		def, updated = nil, time.Time{}
	case err != nil:
		return nil, time.Time{}, fmt.Errorf("activity %s: %w", id, err)
	}
	out, err := json.Marshal(struct {
		ObjectType string          `json:"objectType"`
		ID         string          `json:"id"`
		Definition json.RawMessage `json:"definition,omitempty"`
	}{"Activity", id, def})
	return out, updated, err
}

// Person returns the Agents resource's answer for the agent: a Person
// object with the agent's identifier and every name the LRS has learned
// for it, the one in the request included (Communication §2.4).
func (d *Documents) Person(ctx context.Context, a xapi.Agent) ([]byte, error) {
	names, err := d.known.AgentNames(ctx, a.IFI())
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", a.IFI(), err)
	}
	if a.Name != "" && !slices.Contains(names, a.Name) {
		names = append(names, a.Name)
		slices.Sort(names)
	}
	type account struct {
		HomePage string `json:"homePage"`
		Name     string `json:"name"`
	}
	p := struct {
		ObjectType  string    `json:"objectType"`
		Name        []string  `json:"name,omitempty"`
		Mbox        []string  `json:"mbox,omitempty"`
		MboxSHA1Sum []string  `json:"mbox_sha1sum,omitempty"`
		OpenID      []string  `json:"openid,omitempty"`
		Account     []account `json:"account,omitempty"`
	}{ObjectType: "Person", Name: names}
	switch {
	case a.Mbox != "":
		p.Mbox = []string{a.Mbox}
	case a.MboxSHA1Sum != "":
		p.MboxSHA1Sum = []string{strings.ToLower(a.MboxSHA1Sum)}
	case a.OpenID != "":
		p.OpenID = []string{a.OpenID}
	case a.Account != nil:
		p.Account = []account{{a.Account.HomePage, a.Account.Name}}
	}
	return json.Marshal(p)
}
