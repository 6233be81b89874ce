package course

// QuestionType is the kind of a knowledge-check question.
type QuestionType string

// The question types a lesson may use. Their names match the format's
// `type:` values.
const (
	SingleChoice   QuestionType = "single-choice"
	MultipleChoice QuestionType = "multiple-choice"
	TrueFalse      QuestionType = "true-false"
	FillIn         QuestionType = "fill-in"
	Numeric        QuestionType = "numeric"
	Matching       QuestionType = "matching"
	Sequencing     QuestionType = "sequencing"
)

var questionTypes = []QuestionType{SingleChoice, MultipleChoice, TrueFalse, FillIn, Numeric, Matching, Sequencing}

// Question is a scored knowledge check.
type Question struct {
	ID   string
	Type QuestionType
	// Prompt is rendered inline HTML.
	Prompt string
	// Weight is the question's share of the score; 1 unless the author set it.
	Weight float64
	// Choices are the options of single-choice, multiple-choice and
	// sequencing questions, in the author's order.
	Choices []Choice
	// Sources and Targets are the two sides of a matching question.
	Sources []Choice
	Targets []Choice
	Correct Answer
	// Feedback shown after the learner answers; rendered inline HTML.
	FeedbackCorrect   string
	FeedbackIncorrect string
}

// Choice is one option of a question.
type Choice struct {
	ID string
	// Text and Feedback are rendered inline HTML.
	Text     string
	Feedback string
}

// Answer is a question's correct answer; which fields are set depends on the
// question type.
type Answer struct {
	// Choices holds the correct choice ids: one for single-choice, a set for
	// multiple-choice, every choice in order for sequencing.
	Choices []string
	// Bool is the answer to a true-false question.
	Bool bool
	// Texts are the accepted answers to a fill-in question.
	Texts         []string
	CaseSensitive bool
	// Min and Max bound a numeric answer; they are equal for an exact answer.
	Min, Max float64
	// Pairs maps each matching source id to its target id, in source order.
	Pairs []Pair
}

// Pair is one source → target match.
type Pair struct{ Source, Target string }
