package main

import (
	"math/rand/v2"
	"strings"
)

// The demo learners' names.
var (
	seedFirstNames = []string{"Aisha", "Ben", "Chloe", "Daniel", "Eilidh", "Farah", "George", "Hannah", "Imran", "Jade",
		"Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sophie", "Tariq", "Una", "Victor", "Wendy",
		"Yusuf", "Zoe", "Amelia", "Callum", "Deborah", "Ewan", "Fiona", "Grace", "Harry", "Isla", "Jamal", "Katie",
		"Liam", "Megan", "Nathan", "Olivia", "Patrick", "Rosa"}
	seedLastNames = []string{"Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
		"Jones", "Khan", "Lewis", "MacDonald", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
		"Usman", "Vaughan", "Walker", "Wright", "Young", "Begum", "Clarke", "Doherty", "Ellis", "Okafor"}
)

// Sentences reflections are made of: an opening, some middle, a closing.
var (
	seedOpenings = []string{
		"I would tell her honestly that yes, I have used mental health services myself.",
		"My first thought was to reassure her that I know something of what she is going through.",
		"I think I would start by explaining what peer support is before talking about myself.",
		"I would say that I have been a client of the mental health system, and that this is why I do this work.",
		"Before answering I would check why she is asking, because that shapes what is useful to share.",
		"I would keep my answer short at first and let her decide how much she wants to hear.",
		"Honestly, this question still makes me a little nervous, so I thought about it carefully.",
	}
	seedMiddles = []string{
		"Sharing that I have been there too can help build trust, but the focus has to stay on her.",
		"I would only share the parts of my story that might be useful to her right now.",
		"Mutuality matters here: we are both learning from each other, not me fixing her.",
		"Being authentic means not pretending everything is fine now, while still showing that recovery is possible.",
		"I would be intentional about it and ask myself whether what I say serves her or serves me.",
		"I remember how much it meant to me when someone with lived experience first talked to me as an equal.",
		"I would avoid going into details of diagnoses or treatment, because that can shift the conversation to labels.",
		"It is important to me that she feels she has choices about where the conversation goes.",
		"I would mention that everyone's recovery is different, so my experience is not a map for hers.",
		"Our power is not equal in this setting, and being open about my own experience can reduce that gap a little.",
		"I would pay attention to her reactions and stop if it seemed to be too much.",
		"I learned in this session that hope is often passed on through stories rather than advice.",
	}
	seedClosings = []string{
		"Afterwards I would reflect on it in supervision.",
		"I think this is something I will keep practising.",
		"Then I would ask her what she hopes to get from our meetings.",
		"Overall I want her to leave feeling heard rather than told what to do.",
		"I am still working out where my own boundaries are, and that is okay.",
		"This is harder than it sounds, but it is the heart of the role.",
	}
	seedEssayParagraphs = [][]string{
		{
			"My recovery did not start in a single moment; looking back, it began with small things that I only noticed later.",
			"For several years I moved in and out of services and often felt that decisions were made about me rather than with me.",
			"Reading about the recovery approach in this course gave me words for what I had experienced.",
			"I was first diagnosed in my early twenties, and for a long time that label felt like the whole of who I was.",
		},
		{
			"The turning point came when a support worker asked me what I wanted my life to look like, not what my symptoms were.",
			"Connection was the part of CHIME that mattered most to me: a friend who kept in touch when I stopped answering.",
			"Hope arrived slowly, mostly through meeting people who had been where I was and were doing things I wanted to do.",
			"Meaning came from volunteering at a community garden, which gave my week a shape and gave me a reason to get up.",
			"Empowerment, for me, was learning to say no to a treatment plan and being listened to when I explained why.",
		},
		{
			"Personal recovery is different from clinical recovery: I still have difficult periods, but I live a life I value.",
			"I understand now that recovery is not linear, and the setbacks taught me as much as the good times.",
			"The recovery approach asks services to work alongside people, and I have seen how rarely that happens in practice.",
			"Some parts of my story are still hard to write about, and I have chosen to leave them out of this essay.",
		},
		{
			"Peer support fits into this picture because it offers the relationship I needed most and found least often.",
			"As a peer supporter I want to use my experience with purpose, sharing it only when it helps the other person.",
			"I am aware of the risk of assuming that what worked for me will work for someone else.",
			"Mutuality and shared power are what make peer support different from the help I received as a client.",
			"I hope to offer the kind of hope that other peers once offered me, without pretending that recovery is simple.",
		},
		{
			"In conclusion, writing this essay helped me to see my story as a resource rather than only as something that happened to me.",
			"I will keep reflecting on these questions as I start working in the role.",
			"I am grateful to the other learners in my cohort, whose stories changed how I tell my own.",
		},
	}
)

// reflectionText is a reflection of three to six sentences.
func reflectionText(r *rand.Rand) string {
	parts := []string{seedOpenings[r.IntN(len(seedOpenings))]}
	parts = append(parts, pick(r, seedMiddles, 1+r.IntN(4))...)
	if r.Float64() < 0.7 {
		parts = append(parts, seedClosings[r.IntN(len(seedClosings))])
	}
	return strings.Join(parts, " ")
}

// essayText is an essay of one paragraph per theme, some shorter.
func essayText(r *rand.Rand) string {
	paras := make([]string, 0, len(seedEssayParagraphs))
	for i, sentences := range seedEssayParagraphs {
		if i > 0 && i < len(seedEssayParagraphs)-1 && r.Float64() < 0.15 {
			continue
		}
		paras = append(paras, strings.Join(pick(r, sentences, 2+r.IntN(len(sentences)-1)), " "))
	}
	return strings.Join(paras, "\n\n")
}

// pick returns n of the sentences, in their order.
func pick(r *rand.Rand, sentences []string, n int) []string {
	n = min(n, len(sentences))
	keep := r.Perm(len(sentences))[:n]
	out := make([]string, 0, n)
	for i, s := range sentences {
		for _, k := range keep {
			if k == i {
				out = append(out, s)
			}
		}
	}
	return out
}
