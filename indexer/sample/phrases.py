"""Sentence templates for sample threads, written for this project.

Placeholders: {symptom} {symptom2} {part} {trigger} {duration} {ago} {course} {cause}
{cause2} {cause3} {advice} {advice2} {advice3} {noun} (who to see, "a dermatologist"),
{topic}, {relative} and {medicine}. Every template of a list uses only placeholders
that `sample_threads` fills for that list.

The generic sentences carry the everyday words ("I", "have", "the", "doctor"), so that
common words are common across the archive while symptom words stay with their
conditions, as in real text.
"""

DURATIONS = (
    "two days", "three days", "about a week", "a week", "two weeks", "almost a month",
    "a month", "two months", "three months", "half a year", "about a year", "several years",
)
AGO = (
    "two days ago", "a few days ago", "a week ago", "last week", "two weeks ago",
    "a month ago", "last month", "three months ago", "half a year ago", "last year",
)
COURSES = (
    "getting worse", "not getting better", "coming and going", "about the same",
    "slowly spreading", "better in the morning but worse later",
)
RELATIVES = (
    ("mother", "her"), ("father", "his"), ("son", "his"), ("daughter", "her"),
    ("husband", "his"), ("wife", "her"), ("grandmother", "her"),
)
CHILDREN = ("son", "daughter", "baby", "two-year-old", "five-year-old", "ten-year-old")
MEDICINES = (
    "an over-the-counter cream", "painkillers", "the pills from the pharmacy",
    "herbal tea", "vitamin supplements", "an ointment my friend gave me",
    "the medicine from the clinic",
)
OUTCOMES = (
    "the medicine did not help", "it came back after a week", "nothing was prescribed",
    "I am not sure the diagnosis is right", "it only helped a little",
)

OPENERS = (
    "About {ago}, I noticed {symptom}.",
    "I have had {symptom} for {duration}.",
    "For {duration} I have been dealing with {symptom}.",
    "Recently I started having {symptom}.",
    "Hello doctor, I have {symptom}.",
    "Since {ago} I keep getting {symptom}.",
)
RELATIVE_OPENERS = (
    "My {relative} has had {symptom} for {duration}, and I am asking for {pronoun}.",
    "I am writing for my {relative}, who noticed {symptom} {ago}.",
)
DETAILS = (
    "It seems to be mostly around the {part}.",
    "It gets worse {trigger}.",
    "It usually happens {trigger}.",
    "It is {course}.",
    "I also have {symptom2}.",
    "Apart from this, I feel fine.",
    "On a scale of one to ten, the discomfort is about a {n}.",
    "The {part} feels a little different from before.",
)
HISTORY = (
    "I went to a clinic and the doctor said it might be {cause}, but {outcome}.",
    "I searched online and read that it could be {cause}. Is that possible?",
    "I have been taking {medicine}, but it has not helped much.",
    "I had a similar problem {ago} and it went away on its own.",
    "A friend told me it is probably {cause}, but I am not convinced.",
)
CONTEXT = (
    "I am a student and I spend a lot of time at my desk.",
    "I work night shifts, so my sleep is not regular.",
    "I do not smoke and I rarely drink.",
    "I have no other illnesses that I know of.",
    "Someone in my family had something similar when they were younger.",
    "I am a bit worried because it has not gone away.",
    "I have been under a lot of stress at work lately.",
    "Sorry if my English is not very good.",
    "I exercise two or three times a week.",
    "I am not sure if this is related, but I have also been sleeping badly.",
    "I drink a lot of coffee and not much water.",
    "I have read many things on the internet and now I am scared.",
)
# Everyday detail with a long tail of words (jobs, food, places, drugs, numbers), each
# in a small share of questions, so the archive's vocabulary is not just its templates.
LIFE = (
    "I work as a {job}, so I am {posture} most of the day.",
    "The day before it started I had {food} for dinner.",
    "I recently came back from a trip to {place}.",
    "I have been taking {drug} {dose} mg {times}.",
    "My last checkup showed {lab} of {value}.",
    "I am {height} cm tall and weigh {weight} kg.",
    "In my free time I like {hobby}, but lately I have stopped.",
    "My {relative} also takes {drug}, if that matters.",
    "It began after I started {hobby} again.",
)
JOBS = (
    "nurse", "teacher", "bus driver", "cook", "software engineer", "cashier", "farmer",
    "hairdresser", "security guard", "delivery driver", "student nurse", "waiter",
    "accountant", "factory worker", "construction worker", "pharmacist", "designer",
    "salesperson", "cleaner", "mechanic", "baker", "receptionist", "electrician", "lawyer",
    "translator", "photographer", "police officer", "kindergarten teacher", "tour guide",
)
POSTURES = ("sitting", "standing", "walking", "on my feet", "bent over a desk", "driving")
FOODS = (
    "spicy hot pot", "fried chicken", "sushi", "beef noodle soup", "oysters", "durian",
    "stinky tofu", "a burger and fries", "shrimp dumplings", "mango shaved ice", "curry rice",
    "barbecue", "instant noodles", "salmon", "peanut butter toast", "bubble tea",
    "a lot of chocolate", "pickled vegetables", "lamb skewers", "clam soup", "pizza",
)
PLACES = (
    "Japan", "Thailand", "Vietnam", "Bali", "Hong Kong", "Korea", "the countryside",
    "Kenting", "Hualien", "Singapore", "the Philippines", "Australia", "Europe", "India",
    "a camping trip in the mountains", "my hometown", "a beach resort", "Cambodia",
)
DRUGS = (
    "ibuprofen", "acetaminophen", "loratadine", "cetirizine", "omeprazole", "metformin",
    "amlodipine", "losartan", "atorvastatin", "levothyroxine", "sertraline", "escitalopram",
    "zolpidem", "prednisolone", "amoxicillin", "doxycycline", "fluconazole", "montelukast",
    "famotidine", "domperidone", "tamsulosin", "aspirin", "naproxen", "diclofenac",
    "clonazepam", "propranolol", "vitamin B complex", "fish oil", "iron tablets", "magnesium",
)
DOSES = ("5", "10", "20", "25", "40", "50", "100", "200", "250", "400", "500", "850", "1000")
TIMES = ("once a day", "twice a day", "at night", "when needed", "every morning")
LABS = (
    ("hemoglobin", "{:.1f}", 8.5, 16.5), ("fasting glucose", "{:.0f}", 70, 180),
    ("HbA1c", "{:.1f}", 4.8, 9.5), ("creatinine", "{:.2f}", 0.5, 2.4),
    ("ALT", "{:.0f}", 10, 160), ("TSH", "{:.2f}", 0.05, 9.0),
    ("LDL cholesterol", "{:.0f}", 70, 220), ("uric acid", "{:.1f}", 3.0, 10.5),
    ("white blood cells", "{:.1f}", 3.2, 14.0), ("blood pressure", "{:.0f}/90", 110, 165),
    ("a temperature", "{:.1f} degrees", 36.4, 39.6), ("platelets", "{:.0f}k", 90, 420),
)
HOBBIES = (
    "running", "swimming", "hiking", "playing badminton", "yoga", "weight training",
    "cycling", "playing the guitar", "gardening", "dancing", "playing video games",
    "baking", "fishing", "rock climbing", "playing tennis", "knitting",
)

QUESTIONS = (
    "What could be the cause of this?",
    "Should I see {noun}, or is it nothing to worry about?",
    "Is this serious?",
    "Do I need any tests?",
    "Could this be {cause}?",
    "What should I do now?",
    "Will it go away by itself?",
    "Which department should I visit?",
)
THANKS = (
    "Thank you for your response.", "Thank you, doctor.", "Thanks in advance.",
    "I appreciate your help.",
)
# A small share of questions: links and non-ASCII text, as real exports have.
LINKS = (
    "Based on the provided image link: https://imgur.com/a/{code}, what could it be?",
    "I uploaded a photo here: https://imgur.com/a/{code}",
    "My report is at https://example.com/reports/{code} if that helps.",
    "I read this article: https://www.example.org/health/{code}.html",
)
NON_ASCII = (
    "My grandmother says it is 上火, too much internal heat.",
    "The clinic note only says 皮膚炎 and nothing else.",
    "It started while I was traveling in Montréal.",
    "I tried a crème from the pharmacy in Zürich.",
    "The doctor wrote “observe” on the form – what does that mean?",
    "I am 25 years old and weigh about 60 kg (132 lb) — is that relevant?",
    "我很擔心, I hope you can help.",
    "I had a café au lait right before it started, naïve as that sounds.",
)

ANSWER_GREETINGS = (
    "Hello:", "Hello, thank you for your question.", "Hi,", "Hello,",
)
ANSWER_BODY = (
    "From your description, {cause} is a possibility, but {cause2} should also be considered.",
    "The most common causes of {symptom} are {cause} and {cause2}.",
    "I suggest that you {advice}.",
    "In the meantime, {advice}, and {advice2}.",
    "If the symptoms get worse or anything new appears, please seek medical attention promptly.",
    "It is best to see {noun} in person for an examination.",
    "Without seeing it in person, it is difficult to make a judgment.",
    "A photo taken every few days can help your doctor follow the changes.",
    "This is usually not dangerous, but it should not be ignored if it persists.",
    "You can also {advice}.",
)
DISCLAIMERS = (
    'Medical regulations state that "a physician must personally examine a patient before '
    'administering treatment or prescribing medication," and therefore, online diagnosis is '
    "not permitted.",
    "Online replies cannot replace an examination, so please treat this as general advice.",
)
ANSWER_CLOSINGS = ("Wishing you a speedy recovery.", "Take care.", "Best wishes.")
FOLLOW_UP_OPENERS = (
    "Thank you for the additional information.",
    "Thank you for the update.",
    "I am a colleague answering as well:",
    "To add to the previous reply:",
)

ARTICLE_INTROS = (
    "When it comes to understanding {topic}, there are several potential causes and concerns "
    "that one should consider. {Symptom} can be a sign of {cause}, {cause2} or {cause3}, and "
    "the right approach depends on how long it lasts and what comes with it.",
    "{Symptom} is a common reason to ask for advice, and most of the time the cause is not "
    "serious. Still, {topic} covers several different problems, from {cause} to {cause3}.",
)
ARTICLE_CAUSES = (
    "{Cause} is one common explanation. It tends to cause {symptom} and may be accompanied "
    "by {symptom2}. It is often noticed {trigger}.",
    "Another possibility is {cause}. People with this problem often describe {symptom}, "
    "especially {trigger}, and the {part} is a typical place for it.",
    "Less often, {cause} is responsible. This is worth considering when {symptom} lasts "
    "more than {duration} or keeps coming back.",
)
ARTICLE_ADVICE = (
    "There are several practical steps you can take. First, {advice}. Second, {advice2}. "
    "Finally, {advice3}.",
    "In daily life, it helps to {advice} and to {advice2}. Many people also find it useful to "
    "{advice3}.",
)
ARTICLE_WARNINGS = (
    "It would be advisable to consult {noun} if the problem spreads, changes, or comes with "
    "other new symptoms. A doctor can examine you and may recommend tests "
    "based on the specific characteristics of your symptoms.",
    "Seek medical attention promptly if {symptom} appears suddenly and severely, or if it "
    "stops you from working or sleeping. {Noun} can confirm the cause and discuss treatment.",
)
ARTICLE_SUMMARIES = (
    "In summary, while {symptom} can arise from various causes, including {cause} and "
    "{cause2}, it is crucial to observe its progression and seek medical advice if "
    "necessary. Early intervention can help address any underlying issues and prevent "
    "potential complications.",
    "To sum up, {topic} is usually manageable. Knowing the likely causes, such as {cause}, "
    "and following simple advice can make a real difference.",
)
ARTICLE_FILLER = (
    "Lifestyle factors such as sleep, diet and stress also play a role.",
    "Keeping a simple diary of your symptoms can help your doctor see patterns.",
    "It is important not to rely only on information found online.",
    "Every person is different, so what works for one may not work for another.",
    "Medication should only be taken as directed by a healthcare professional.",
    "Regular checkups make it easier to notice changes early.",
    "Always prioritize your health and well-being by consulting a healthcare provider.",
    "Family history can make some of these conditions more likely.",
    "Drinking enough water and staying active support overall health.",
    "If you are unsure, it is always better to ask than to wait.",
)

SUBJECTS = (
    "{Symptom} ({part})?",
    "{Symptom}",
    "Is this {cause}?",
    "Question about {topic}",
    "{Symptom} for {duration}, what should I do?",
    "Help with {symptom}",
)
