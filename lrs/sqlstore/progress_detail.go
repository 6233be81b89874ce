package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// timelineLimit is how many statements a learner's timeline shows.
const timelineLimit = 200

// Learner returns what one learner did: their progress in each course
// (f.Course: in that one) lesson by lesson, and their latest statements
// (at most 200, newest first), read through the statements' agent index.
func (p *ProgressStore) Learner(ctx context.Context, f progress.Filter) (progress.LearnerDetail, error) {
	courses, err := p.RegisteredCourses(ctx)
	if err != nil {
		return progress.LearnerDetail{}, err
	}
	byID := map[string]progress.Course{}
	for _, c := range courses {
		byID[c.ID] = c
	}
	d := progress.LearnerDetail{Learner: f.Learner, Courses: []progress.LearnerCourse{}, Timeline: []progress.Event{}}
	g := f
	g.Since, g.Until, g.Status, g.Search = time.Time{}, time.Time{}, "", ""
	where, args := learnerWhere(g)
	rows, err := p.s.r.QueryContext(ctx, p.s.r.Rebind(`SELECT `+learnerColumns+` FROM progress_learners l WHERE `+where+` ORDER BY l.course_id`), args...)
	if err != nil {
		return d, fmt.Errorf("learner %s: %w", f.Learner, err)
	}
	defer rows.Close()
	for rows.Next() {
		id, r, err := scanLearnerRow(rows, func(id string) int { return len(byID[id].Lessons) })
		if err != nil {
			return d, fmt.Errorf("learner %s: %w", f.Learner, err)
		}
		if r.Name != "" {
			d.Name = r.Name
		}
		d.Courses = append(d.Courses, progress.LearnerCourse{CourseID: id, Title: byID[id].Title, Row: r})
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("learner %s: %w", f.Learner, err)
	}
	rows.Close()
	for i, lc := range d.Courses {
		viewed := map[string]time.Time{}
		var lrows []struct {
			ID string    `db:"lesson_id"`
			At timestamp `db:"first_viewed"`
		}
		if err := p.s.r.SelectContext(ctx, &lrows, p.s.r.Rebind(`SELECT lesson_id, first_viewed FROM progress_lessons WHERE course_id = ? AND learner = ?`),
			lc.CourseID, f.Learner); err != nil {
			return d, fmt.Errorf("learner %s lessons: %w", f.Learner, err)
		}
		for _, r := range lrows {
			viewed[r.ID] = r.At.Time
		}
		lessons := []progress.LessonViewed{}
		for _, l := range byID[lc.CourseID].Lessons {
			at, ok := viewed[l.ID]
			lessons = append(lessons, progress.LessonViewed{LessonID: l.ID, Title: l.Title, Viewed: ok, At: at})
		}
		d.Courses[i].Lessons = lessons
	}
	d.Timeline, err = p.timeline(ctx, f, courses)
	return d, err
}

// timeline reads the learner's latest statements as events.
func (p *ProgressStore) timeline(ctx context.Context, f progress.Filter, courses []progress.Course) ([]progress.Event, error) {
	sf := lrs.StatementFilter{Agent: f.Learner, Authority: f.Authority, Limit: timelineLimit}
	if !f.Since.IsZero() {
		sf.Since = f.Since.Add(-time.Microsecond) // exclusive there, inclusive here
	}
	if !f.Until.IsZero() {
		sf.Until = f.Until.Add(-time.Microsecond)
	}
	stmts, _, err := p.s.Statements(ctx, sf)
	if err != nil {
		return nil, fmt.Errorf("learner %s timeline: %w", f.Learner, err)
	}
	m := progress.NewMatcher(courses)
	titles := map[string]string{}
	for _, c := range courses {
		titles[c.ID] = c.Title
		for _, l := range c.Lessons {
			titles[l.ActivityID] = l.Title
		}
		for _, q := range c.Questions {
			titles[q.ActivityID] = q.Prompt
		}
	}
	events := []progress.Event{}
	for _, st := range stmts {
		x, err := xapi.DecodeStatement(st.JSON, xapi.Version200)
		if err != nil {
			if x, err = xapi.DecodeStatement(st.JSON, xapi.Version103); err != nil {
				continue
			}
		}
		e := progress.Event{StatementID: st.ID, Time: x.Timestamp, Verb: x.Verb.ID, Activity: x.Object.ID}
		if e.Time.IsZero() {
			e.Time = st.Stored
		}
		e.VerbDisplay = display(x.Verb.Display, x.Verb.ID)
		if facts, _ := m.Facts(st); len(facts) > 0 {
			e.CourseID = facts[0].Course
		}
		if f.Course != "" && e.CourseID != f.Course {
			continue
		}
		e.Title = titles[e.Activity]
		if e.Title == "" && x.Object.Definition != nil {
			e.Title = display(x.Object.Definition.Name, "")
		}
		if x.Context != nil {
			e.Registration = x.Context.Registration
		}
		if r := x.Result; r != nil {
			if r.Score != nil {
				e.Score = r.Score.Scaled
			}
			e.Success, e.Completion = r.Success, r.Completion
			if r.Response != nil {
				e.Response = *r.Response
			}
			e.Duration, _ = progress.ParseDuration(r.Duration)
		}
		events = append(events, e)
	}
	return events, nil
}

// display is a language map's en-US (or en, or first) text, or def.
func display(m xapi.LanguageMap, def string) string {
	for _, tag := range []string{"en-US", "en", "en-GB"} {
		if s, ok := m.Get(tag); ok {
			return s
		}
	}
	if len(m) > 0 {
		return m[0].Text
	}
	if i := strings.LastIndexAny(def, "/#"); i >= 0 {
		return def[i+1:]
	}
	return def
}

// Questions returns each scored question of a course, in outline order,
// with its attempts and most common wrong answers.
func (p *ProgressStore) Questions(ctx context.Context, f progress.Filter) ([]progress.QuestionRow, error) {
	c, err := p.course(ctx, f.Course)
	if err != nil {
		return nil, err
	}
	var (
		counts []questionCount
		wrongs []wrongAnswer
	)
	if unfiltered(f) {
		counts, wrongs, err = p.questionCounts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
	} else {
		where, args := factWhere(f)
		q := `SELECT f.question_id, COUNT(*) AS attempts, COUNT(DISTINCT f.learner) AS learners,
			SUM(CASE WHEN f.success THEN 1 ELSE 0 END) AS correct
			FROM progress_facts f WHERE ` + where + ` GROUP BY f.question_id`
		if err := p.s.r.SelectContext(ctx, &counts, p.s.r.Rebind(q), args...); err != nil {
			return nil, fmt.Errorf("questions of %s: %w", c.ID, err)
		}
		q = `SELECT f.question_id, f.response, COUNT(*) AS n FROM progress_facts f WHERE ` + where +
			` AND f.success = FALSE GROUP BY f.question_id, f.response ORDER BY n DESC, f.response`
		if err := p.s.r.SelectContext(ctx, &wrongs, p.s.r.Rebind(q), args...); err != nil {
			return nil, fmt.Errorf("questions of %s: %w", c.ID, err)
		}
	}
	byID := map[string]questionCount{}
	for _, n := range counts {
		byID[n.Question] = n
	}
	wrongBy := map[string][]progress.AnswerCount{}
	out := []progress.QuestionRow{}
	questions := map[string]progress.Question{}
	for _, q := range c.Questions {
		questions[q.ID] = q
	}
	for _, w := range wrongs {
		if len(wrongBy[w.Question]) < 5 {
			wrongBy[w.Question] = append(wrongBy[w.Question], progress.AnswerCount{Response: answerText(questions[w.Question], w.Response.String), Count: w.N})
		}
	}
	for _, q := range c.Questions {
		if q.Kind == progress.KindReflection || q.Kind == progress.KindEssay {
			continue
		}
		n := byID[q.ID]
		r := progress.QuestionRow{ID: q.ID, LessonID: q.LessonID, Kind: q.Kind, Prompt: q.Prompt,
			Attempts: n.Attempts, Learners: n.Learners, Correct: n.Correct, WrongAnswers: wrongBy[q.ID]}
		if r.Attempts > 0 {
			r.CorrectRate = float64(r.Correct) / float64(r.Attempts)
		}
		out = append(out, r)
	}
	return out, nil
}

// unfiltered tells whether a filter of the questions report names only
// the course, so that the counts kept per question answer it.
func unfiltered(f progress.Filter) bool {
	return f.Since.IsZero() && f.Until.IsZero() && f.Group == "" && f.Learner == "" && f.Authority == ""
}

// questionCounts reads a course's answers per question and its wrong
// answers, most common first, from the counts the Worker keeps (see
// factTx.countAnswers) rather than from every answer.
func (p *ProgressStore) questionCounts(ctx context.Context, course string) ([]questionCount, []wrongAnswer, error) {
	var (
		counts   []questionCount
		learners []questionCount
		wrongs   []wrongAnswer
	)
	if err := p.s.r.SelectContext(ctx, &counts, p.s.r.Rebind(`SELECT question_id, SUM(attempts) AS attempts, SUM(correct) AS correct
		FROM progress_question_responses WHERE course_id = ? GROUP BY question_id`), course); err != nil {
		return nil, nil, fmt.Errorf("questions of %s: %w", course, err)
	}
	if err := p.s.r.SelectContext(ctx, &learners, p.s.r.Rebind(`SELECT question_id, COUNT(*) AS learners
		FROM progress_question_learners WHERE course_id = ? GROUP BY question_id`), course); err != nil {
		return nil, nil, fmt.Errorf("questions of %s: %w", course, err)
	}
	byID := map[string]int{}
	for _, l := range learners {
		byID[l.Question] = l.Learners
	}
	for i := range counts {
		counts[i].Learners = byID[counts[i].Question]
	}
	if err := p.s.r.SelectContext(ctx, &wrongs, p.s.r.Rebind(`SELECT question_id, response, wrong AS n
		FROM progress_question_responses WHERE course_id = ? AND wrong > 0 ORDER BY n DESC, response`), course); err != nil {
		return nil, nil, fmt.Errorf("questions of %s: %w", course, err)
	}
	return counts, wrongs, nil
}

// questionCount is one question's answers.
type questionCount struct {
	Question string `db:"question_id"`
	Attempts int    `db:"attempts"`
	Learners int    `db:"learners"`
	Correct  int    `db:"correct"`
}

// wrongAnswer is how many times a wrong response was given.
type wrongAnswer struct {
	Question string         `db:"question_id"`
	Response sql.NullString `db:"response"`
	N        int            `db:"n"`
}

// answerText shows a response's choice ids as their texts: "a[,]c" as
// "Alpha, Gamma", "s1[.]t2" as "Source → Target".
func answerText(q progress.Question, response string) string {
	if len(q.Choices) == 0 {
		return response
	}
	text := map[string]string{}
	for _, c := range q.Choices {
		text[c.ID] = c.Text
	}
	parts := strings.Split(response, "[,]")
	for i, part := range parts {
		ids := strings.Split(part, "[.]")
		for j, id := range ids {
			if t, ok := text[id]; ok {
				ids[j] = t
			}
		}
		parts[i] = strings.Join(ids, " → ")
	}
	return strings.Join(parts, ", ")
}

// Responses returns the reflection and essay texts of a course, newest
// first (f.Limit of them when set).
func (p *ProgressStore) Responses(ctx context.Context, f progress.Filter) ([]progress.ResponseRow, error) {
	c, err := p.course(ctx, f.Course)
	if err != nil {
		return nil, err
	}
	questions := map[string]progress.Question{}
	var ids []any
	for _, q := range c.Questions {
		if q.Kind == progress.KindReflection || q.Kind == progress.KindEssay {
			questions[q.ID] = q
			ids = append(ids, q.ID)
		}
	}
	out := []progress.ResponseRow{}
	if len(ids) == 0 {
		return out, nil
	}
	where, wargs := factWhere(f)
	const cols = `f.statement_id, f.learner, COALESCE(f.name, '') AS name, f.question_id, COALESCE(f.response, '') AS response, f.at, f.seq`
	q := `SELECT ` + cols + ` FROM progress_facts f WHERE ` + where + ` AND f.question_id IN (` + placeholders(len(ids)) + `) ORDER BY f.at DESC, f.seq DESC`
	args := append(wargs, ids...)
	if f.Limit > 0 {
		// A page is the newest of each question's newest answers (each
		// read through the questions' index), so the page costs the same
		// however many answers the course has.
		var parts []string
		args = nil
		n := f.Limit + max(f.Offset, 0)
		for _, id := range ids {
			parts = append(parts, `SELECT * FROM (SELECT `+cols+` FROM progress_facts f WHERE `+where+
				` AND f.question_id = ? ORDER BY f.at DESC, f.seq DESC LIMIT ?) q`)
			args = append(append(args, wargs...), id, n)
		}
		q = `SELECT statement_id, learner, name, question_id, response, at, seq FROM (` + strings.Join(parts, ` UNION ALL `) +
			`) u ORDER BY at DESC, seq DESC LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	}
	rows, err := p.s.r.QueryContext(ctx, p.s.r.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("responses of %s: %w", c.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r   progress.ResponseRow
			at  timestamp
			seq int64
		)
		if err := rows.Scan(&r.StatementID, &r.Learner, &r.Name, &r.QuestionID, &r.Text, &at, &seq); err != nil {
			return nil, fmt.Errorf("responses of %s: %w", c.ID, err)
		}
		r.Time = at.Time
		r.Kind, r.Prompt = questions[r.QuestionID].Kind, questions[r.QuestionID].Prompt
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("responses of %s: %w", c.ID, err)
	}
	return out, nil
}
