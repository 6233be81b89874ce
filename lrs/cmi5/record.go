package cmi5

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// launchData is the LMS.LaunchData document (§10.2).
type launchData struct {
	ContextTemplate  contextTemplate `json:"contextTemplate"`
	LaunchMode       string          `json:"launchMode"`
	LaunchMethod     string          `json:"launchMethod"`
	MoveOn           string          `json:"moveOn"`
	MasteryScore     *float64        `json:"masteryScore,omitempty"`
	ReturnURL        string          `json:"returnURL,omitempty"`
	LaunchParameters string          `json:"launchParameters,omitempty"`
}

// contextTemplate is what every statement of the session carries: the
// publisher id in grouping, the session id, and the registration.
type contextTemplate struct {
	Registration      string            `json:"registration"`
	ContextActivities contextActivities `json:"contextActivities"`
	Extensions        map[string]string `json:"extensions"`
}

type contextActivities struct {
	Grouping []activityRef `json:"grouping,omitempty"`
	Category []activityRef `json:"category,omitempty"`
}

type activityRef struct {
	ID string `json:"id"`
}

func template(au AU, sess Session) contextTemplate {
	return contextTemplate{
		Registration:      sess.Registration,
		ContextActivities: contextActivities{Grouping: []activityRef{{au.ID}}},
		Extensions:        map[string]string{ExtSessionID: sess.ID},
	}
}

// writeLaunchData stores LMS.LaunchData for the session, replacing the
// previous session's.
func (l *Launcher) writeLaunchData(ctx context.Context, au AU, sess Session, agent, returnURL string) error {
	doc := launchData{
		ContextTemplate: template(au, sess), LaunchMode: sess.LaunchMode, LaunchMethod: au.LaunchMethod,
		MoveOn: au.MoveOn, MasteryScore: au.MasteryScore, ReturnURL: returnURL, LaunchParameters: au.LaunchParameters,
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("launch data: %w", err)
	}
	key := lrs.DocumentKey{Kind: lrs.KindState, ActivityID: au.ActivityID, Agent: agent, Registration: sess.Registration, ID: LaunchDataID}
	// xAPI 1.0.3 lets state be replaced without preconditions.
	if _, err := l.docs.Put(ctx, lrs.Document{Key: key, ContentType: "application/json", Content: body}, lrs.Preconditions{}, xapi.Version103); err != nil {
		return fmt.Errorf("launch data: %w", err)
	}
	return nil
}

// recordLaunched stores the launched statement (§9.3.1) with the context
// extensions §9.6.3 asks of it.
func (l *Launcher) recordLaunched(ctx context.Context, au AU, sess Session, actor json.RawMessage, now time.Time) error {
	ext := map[string]any{ExtSessionID: sess.ID, ExtLaunchMode: sess.LaunchMode, ExtLaunchURL: au.URL, ExtMoveOn: au.MoveOn}
	if au.MasteryScore != nil {
		ext[ExtMasteryScore] = *au.MasteryScore
	}
	if au.LaunchParameters != "" {
		ext[ExtLaunchParameters] = au.LaunchParameters
	}
	st := lmsStatement(au, sess, actor, VerbLaunched, "Launched", ext, now)
	if err := l.record(ctx, st); err != nil {
		return fmt.Errorf("launched statement: %w", err)
	}
	return nil
}

// recordAbandoned stores the abandoned statement of a session that was
// still open when its registration's AU was launched again (§9.3.6), with
// the session's length so far as its duration (§9.5.4.2).
func (l *Launcher) recordAbandoned(ctx context.Context, au AU, sess Session, actor json.RawMessage, now time.Time) error {
	st := lmsStatement(au, sess, actor, VerbAbandoned, "Abandoned", map[string]any{ExtSessionID: sess.ID}, now)
	st["result"] = map[string]any{"duration": fmt.Sprintf("PT%.3fS", now.Sub(sess.CreatedAt).Seconds())}
	if err := l.record(ctx, st); err != nil {
		return fmt.Errorf("abandoned statement: %w", err)
	}
	return nil
}

// lmsStatement is a cmi5 defined statement the LMS makes about the
// session's AU: the session's context template, with the cmi5 category
// and the extensions ext.
func lmsStatement(au AU, sess Session, actor json.RawMessage, verb, display string, ext map[string]any, now time.Time) map[string]any {
	activities := template(au, sess).ContextActivities
	activities.Category = []activityRef{{CategoryCMI5}}
	return map[string]any{
		"id":        uuid.NewString(),
		"actor":     actor,
		"verb":      map[string]any{"id": verb, "display": map[string]string{"en-US": display}},
		"object":    map[string]any{"objectType": "Activity", "id": au.ActivityID},
		"timestamp": now.Format(time.RFC3339Nano),
		"context": map[string]any{
			"registration":      sess.Registration,
			"contextActivities": activities,
			"extensions":        ext,
		},
	}
}

// record stores a statement of the launcher's, as its authority.
func (l *Launcher) record(ctx context.Context, st map[string]any) error {
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	dec, err := xapi.DecodeStatement(body, xapi.Version103)
	if err != nil {
		return err
	}
	_, err = l.svc.StoreStatements(ctx, lrs.Batch{Statements: []xapi.Statement{*dec}, Version: xapi.Version103,
		Authority: launcherAuthority, Define: true})
	return err
}
