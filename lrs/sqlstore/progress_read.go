package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

// learnerWhere is the condition on progress_learners l that f sets, for
// the course f.Course when set.
func learnerWhere(f progress.Filter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if f.Course != "" {
		add(`l.course_id = ?`, f.Course)
	}
	if !f.Since.IsZero() {
		add(`l.last_seen >= ?`, timestamp{f.Since})
	}
	if !f.Until.IsZero() {
		add(`l.last_seen < ?`, timestamp{f.Until})
	}
	if f.Group != "" {
		add(`EXISTS (SELECT 1 FROM progress_groups g WHERE g.course_id = l.course_id AND g.grp = ? AND g.learner = l.learner)`, f.Group)
	}
	if f.Learner != "" {
		add(`l.learner = ?`, f.Learner)
	}
	if f.Authority != "" {
		add(`EXISTS (SELECT 1 FROM progress_authorities a WHERE a.course_id = l.course_id AND a.learner = l.learner AND a.authority = ?)`, f.Authority)
	}
	if f.Status != "" {
		add(`l.status = ?`, string(f.Status))
	}
	if f.Search != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Search)) + "%"
		add(`(LOWER(l.name) LIKE ? ESCAPE '\' OR LOWER(l.learner) LIKE ? ESCAPE '\')`, like, like)
	}
	return strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// factWhere is the condition on progress_facts f that a filter sets for
// the questions and responses reports.
func factWhere(f progress.Filter) (string, []any) {
	conds := []string{"f.course_id = ?", "f.kind = 'answer'"}
	args := []any{f.Course}
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if !f.Since.IsZero() {
		add(`f.at >= ?`, timestamp{f.Since})
	}
	if !f.Until.IsZero() {
		add(`f.at < ?`, timestamp{f.Until})
	}
	if f.Group != "" {
		add(`(f.group_name = ? OR f.group_ifi = ?)`, f.Group, f.Group)
	}
	if f.Learner != "" {
		add(`f.learner = ?`, f.Learner)
	}
	if f.Authority != "" {
		add(`f.authority = ?`, f.Authority)
	}
	return strings.Join(conds, " AND "), args
}

// summaryRow is what the course summaries read of each learner.
type summaryRow struct {
	Status    string          `db:"status"`
	Completed bool            `db:"completed"`
	Score     sql.NullFloat64 `db:"score"`
	TimeMS    int64           `db:"time_spent_ms"`
}

func (p *ProgressStore) summary(ctx context.Context, c progress.Course, f progress.Filter) (progress.CourseSummary, [10]int, error) {
	f.Course, f.Status, f.Search = c.ID, "", ""
	where, args := learnerWhere(f)
	var rows []summaryRow
	q := `SELECT l.status, l.completed, l.score, l.time_spent_ms FROM progress_learners l WHERE ` + where
	if err := p.s.r.SelectContext(ctx, &rows, p.s.r.Rebind(q), args...); err != nil {
		return progress.CourseSummary{}, [10]int{}, fmt.Errorf("course %s: %w", c.ID, err)
	}
	s := progress.CourseSummary{ID: c.ID, Title: c.Title, Lessons: len(c.Lessons), Started: len(rows)}
	var (
		scores []float64
		times  []time.Duration
		hist   [10]int
	)
	for _, r := range rows {
		if r.Completed {
			s.Completed++
		}
		switch progress.Status(r.Status) {
		case progress.Passed:
			s.Passed++
		case progress.Failed:
			s.Failed++
		}
		if r.Score.Valid {
			scores = append(scores, r.Score.Float64)
			hist[min(max(int(r.Score.Float64*10), 0), 9)]++
		}
		times = append(times, time.Duration(r.TimeMS)*time.Millisecond)
	}
	if s.Started > 0 {
		s.CompletionRate = float64(s.Completed) / float64(s.Started)
	}
	if len(scores) > 0 {
		m := median(scores)
		s.MedianScore = &m
	}
	if len(times) > 0 {
		s.MedianTime = median(times)
	}
	return s, hist, nil
}

// median returns the middle value, or the mean of the two middle ones.
func median[T int64 | float64 | time.Duration](v []T) T {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Courses returns a summary of each registered course (f.Course: of that
// one); see progress.Reader.
func (p *ProgressStore) Courses(ctx context.Context, f progress.Filter) ([]progress.CourseSummary, error) {
	courses, err := p.RegisteredCourses(ctx)
	if err != nil {
		return nil, err
	}
	out := []progress.CourseSummary{}
	for _, c := range courses {
		if f.Course != "" && c.ID != f.Course {
			continue
		}
		s, _, err := p.summary(ctx, c, f)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Course returns a course's summary, funnel and score histogram.
func (p *ProgressStore) Course(ctx context.Context, f progress.Filter) (progress.CourseDetail, error) {
	c, err := p.course(ctx, f.Course)
	if err != nil {
		return progress.CourseDetail{}, err
	}
	s, hist, err := p.summary(ctx, c, f)
	if err != nil {
		return progress.CourseDetail{}, err
	}
	f.Status, f.Search = "", ""
	where, args := learnerWhere(f)
	q := `SELECT pl.lesson_id, COUNT(*) FROM progress_lessons pl
		JOIN progress_learners l ON l.course_id = pl.course_id AND l.learner = pl.learner
		WHERE pl.course_id = ? AND ` + where + ` GROUP BY pl.lesson_id`
	args = append([]any{c.ID}, args...)
	if unfiltered(f) {
		// Every learner of the course counts: the lessons' index answers.
		q, args = `SELECT lesson_id, COUNT(*) FROM progress_lessons WHERE course_id = ? GROUP BY lesson_id`, []any{c.ID}
	}
	rows, err := p.s.r.QueryContext(ctx, p.s.r.Rebind(q), args...)
	if err != nil {
		return progress.CourseDetail{}, fmt.Errorf("course %s funnel: %w", c.ID, err)
	}
	defer rows.Close()
	viewed := map[string]int{}
	for rows.Next() {
		var (
			id string
			n  int
		)
		if err := rows.Scan(&id, &n); err != nil {
			return progress.CourseDetail{}, fmt.Errorf("course %s funnel: %w", c.ID, err)
		}
		viewed[id] = n
	}
	if err := rows.Err(); err != nil {
		return progress.CourseDetail{}, fmt.Errorf("course %s funnel: %w", c.ID, err)
	}
	d := progress.CourseDetail{Summary: s, Scores: hist, Funnel: []progress.LessonCount{}}
	for _, l := range c.Lessons {
		d.Funnel = append(d.Funnel, progress.LessonCount{LessonID: l.ID, Title: l.Title, Learners: viewed[l.ID]})
	}
	return d, nil
}

// learnerColumns are what scanLearnerRow reads of progress_learners l.
const learnerColumns = `l.course_id, l.learner, l.name, l.status, l.lessons_viewed, l.score, l.latest_score, l.attempts,
	l.registrations, l.time_spent_ms, l.first_seen, l.last_seen`

// scanLearnerRow reads learnerColumns; lessons is how many lessons the
// course has, for Progress.
func scanLearnerRow(row interface{ Scan(...any) error }, lessons func(course string) int) (string, progress.LearnerRow, error) {
	var (
		r             progress.LearnerRow
		course        string
		status        string
		viewed        int
		score, latest sql.NullFloat64
		ms            int64
		first, last   timestamp
	)
	if err := row.Scan(&course, &r.Learner, &r.Name, &status, &viewed, &score, &latest, &r.Attempts,
		&r.Registrations, &ms, &first, &last); err != nil {
		return "", r, err
	}
	r.Status, r.TimeSpent, r.FirstSeen, r.LastSeen = progress.Status(status), time.Duration(ms)*time.Millisecond, first.Time, last.Time
	if n := lessons(course); n > 0 {
		r.Progress = min(float64(viewed)/float64(n), 1)
	}
	if score.Valid {
		r.Score = &score.Float64
	}
	if latest.Valid {
		r.LatestScore = &latest.Float64
	}
	return course, r, nil
}

// sortColumns are the learners report's sort keys.
var sortColumns = map[string]string{
	"name":     `LOWER(CASE WHEN l.name = '' THEN l.learner ELSE l.name END)`,
	"status":   `l.status`,
	"progress": `l.lessons_viewed`,
	"score":    `COALESCE(l.score, -1)`,
	"time":     `l.time_spent_ms`,
	"last":     `l.last_seen`,
}

// ErrUnknownSort is returned for a Filter.Sort the learners report does
// not know.
var ErrUnknownSort = errors.New("unknown sort: use name, status, progress, score, time or last, with - for descending")

// Learners returns a page of a course's learners and how many match.
func (p *ProgressStore) Learners(ctx context.Context, f progress.Filter) ([]progress.LearnerRow, int, error) {
	c, err := p.course(ctx, f.Course)
	if err != nil {
		return nil, 0, err
	}
	key, dir := strings.TrimPrefix(f.Sort, "-"), "ASC"
	if strings.HasPrefix(f.Sort, "-") {
		dir = "DESC"
	}
	if key == "" {
		key = "name"
	}
	col, ok := sortColumns[key]
	if !ok {
		return nil, 0, fmt.Errorf("learners sorted by %q: %w", f.Sort, ErrUnknownSort)
	}
	where, args := learnerWhere(f)
	var total int
	if err := p.s.r.GetContext(ctx, &total, p.s.r.Rebind(`SELECT COUNT(*) FROM progress_learners l WHERE `+where), args...); err != nil {
		return nil, 0, fmt.Errorf("learners of %s: %w", c.ID, err)
	}
	q := `SELECT ` + learnerColumns + ` FROM progress_learners l WHERE ` + where + ` ORDER BY ` + col + ` ` + dir + `, l.learner ` + dir
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	}
	rows, err := p.s.r.QueryContext(ctx, p.s.r.Rebind(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("learners of %s: %w", c.ID, err)
	}
	defer rows.Close()
	out := []progress.LearnerRow{}
	n := func(string) int { return len(c.Lessons) }
	for rows.Next() {
		_, r, err := scanLearnerRow(rows, n)
		if err != nil {
			return nil, 0, fmt.Errorf("learners of %s: %w", c.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("learners of %s: %w", c.ID, err)
	}
	return out, total, nil
}
