"""Curated conditions for sample archives, part two: mid-sized specialties.

Hand-written for this project; layout documented in `sample_vocabulary`.
"""

TABLE = """
## Psychiatry | 6 | a psychiatrist | Neurology; Family Medicine; Internal Medicine
parts: -
triggers: before exams; at night; at work; after an argument; in crowded places
- Insomnia: trouble falling asleep; waking up at 3 am; lying awake for hours
  causes: insomnia; anxiety; an irregular schedule
  advice: keep a fixed wake-up time; avoid screens before bed; try cognitive behavioral \
therapy
- Anxiety: constant worrying; a racing heart with panic; feeling on edge all day
  causes: generalized anxiety; panic disorder; stress
  advice: practice slow breathing; cut down on caffeine; talk to a therapist
- Depression: feeling hopeless; no interest in anything; crying for no reason
  causes: depression; burnout; grief
  advice: reach out to someone you trust; keep a daily routine; ask about counseling and \
medication
- Panic Attacks: sudden panic attacks; a feeling of dying during panic; tingling hands during panic
  causes: panic disorder; hyperventilation; agoraphobia
  advice: learn grounding techniques; do not avoid every trigger; ask about therapy
- Obsessive Thoughts: intrusive thoughts; checking the door many times; washing hands over \
and over
  causes: obsessive compulsive disorder; anxiety; perfectionism
  advice: see a psychiatrist; try exposure therapy; be kind to yourself
- Attention Problems: trouble concentrating; forgetting tasks; restless and fidgety
  causes: ADHD; poor sleep; anxiety
  advice: get a proper assessment; break tasks into small steps; use reminders

## Neurology | 6 | a neurologist | Neurosurgery; Psychiatry; Rehabilitation
parts: -
triggers: in the morning; after looking at screens; when I stand up; after bright light; \
when stressed
- Headache: a throbbing headache; pain behind the eyes; a headache every afternoon
  parts: forehead; temples; back of the head
  causes: migraine; tension headache; medication overuse headache
  advice: keep a headache diary; limit painkillers to twice a week; sleep regularly
- Numbness: numbness in my fingers; pins and needles in the feet; a tingling face
  parts: fingers; hands; feet; face
  causes: carpal tunnel syndrome; peripheral neuropathy; a pinched nerve
  advice: have a nerve conduction study; check vitamin B12; avoid leaning on your elbows
- Vertigo: spinning when I turn over in bed; dizziness with nausea; losing balance
  causes: benign positional vertigo; vestibular neuritis; Meniere's disease
  advice: try repositioning maneuvers; get up slowly; see a doctor for new weakness
- Tremor: shaking hands; a tremor when holding a cup; trembling chin
  parts: hands; right hand; chin
  causes: essential tremor; Parkinson's disease; caffeine
  advice: reduce coffee; record a video of the tremor; see a neurologist
- Facial Palsy: one side of my face drooping; trouble closing one eye; a crooked smile
  parts: face; left side of the face; right side of the face
  causes: Bell's palsy; a stroke; shingles
  advice: go to the emergency room at once if limbs are weak; protect the eye; ask about \
steroids
- Seizures: a seizure; blank staring spells; jerking of the arms during sleep
  causes: epilepsy; low blood sugar; fever
  advice: do not drive until assessed; keep a seizure diary; have an EEG

## Orthopedics | 6 | an orthopedist | Rehabilitation; Rheumatology; Neurosurgery
parts: -
triggers: after running; when climbing stairs; after lifting; in the morning; after \
playing basketball
- Knee Pain: knee pain when climbing stairs; a clicking knee; a swollen knee
  parts: left knee; right knee; kneecap
  causes: a meniscus tear; patellofemoral pain; knee arthritis
  advice: ice the knee; strengthen the thigh muscles; have an MRI if it locks
- Low Back Pain: lower back pain; stiff back in the morning; back pain when bending
  parts: lower back
  causes: a muscle strain; a herniated disc; poor posture
  advice: stay active; apply heat; do core exercises
- Shoulder Pain: shoulder pain when raising my arm; a frozen shoulder; pain at night on \
the shoulder
  parts: left shoulder; right shoulder
  causes: rotator cuff tendinitis; frozen shoulder; impingement
  advice: do pendulum exercises; avoid sleeping on that side; see a physical therapist
- Sprained Ankle: a twisted ankle; a swollen ankle; bruising on the ankle
  parts: left ankle; right ankle
  causes: an ankle sprain; a ligament tear; a fracture
  advice: rest, ice, compression and elevation; have an x-ray if you cannot walk; wear a \
brace
- Heel Pain: heel pain with the first steps; sharp pain under the foot; a heel spur
  parts: heel; sole of the foot
  causes: plantar fasciitis; a heel spur; Achilles tendinitis
  advice: stretch the calf; wear cushioned shoes; roll the foot on a bottle
- Fracture: a broken bone; a crack in the wrist; pain after a fall
  parts: wrist; ankle; rib; collarbone
  causes: a fracture; a bone bruise; osteoporosis
  advice: keep the cast dry; follow up with x-rays; do not bear weight too early
- Tennis Elbow: pain on the outside of the elbow; weak grip; pain when lifting a kettle
  parts: elbow; forearm
  causes: lateral epicondylitis; overuse; golfer's elbow
  advice: use a forearm strap; rest from gripping; do eccentric exercises

## Cardiology | 5 | a cardiologist | Internal Medicine; Family Medicine; Pulmonology
parts: -
triggers: when climbing stairs; after exercise; at rest; after coffee; when lying flat
- Chest Pain: chest tightness; pressure in the chest; a stabbing pain in the chest
  parts: chest; left side of the chest
  causes: angina; costochondritis; reflux
  advice: call emergency services for crushing pain; have an ECG; do a treadmill test
- Palpitations: a racing heart; skipped heartbeats; fluttering in the chest
  parts: chest
  causes: premature beats; atrial fibrillation; anxiety
  advice: wear a Holter monitor; cut down on caffeine; check the thyroid
- Shortness of Breath: short of breath on stairs; breathless at night; trouble lying flat
  causes: heart failure; anemia; asthma
  advice: have an echocardiogram; weigh yourself daily; limit salt
- Swollen Ankles: swollen ankles; puffy legs at night; sock marks on my legs
  parts: ankles; lower legs
  causes: venous insufficiency; heart failure; medication side effects
  advice: raise your legs; wear compression stockings; check kidney function
- Heart Murmur: a heart murmur; a whooshing sound the doctor heard; a murmur found \
at a school checkup
  causes: an innocent murmur; a valve problem; a hole in the heart
  advice: have an echocardiogram; follow up yearly; ask about antibiotics before dental work
- Slow Heart Rate: a slow pulse; heart rate of 45; feeling faint with a slow heartbeat
  causes: athletic heart; heart block; medication effect
  advice: record your pulse; wear a Holter monitor; report fainting at once

## Gastroenterology | 5 | a gastroenterologist | Internal Medicine; General Surgery; Nutrition
parts: -
triggers: after eating; on an empty stomach; after spicy food; after milk; at night
- Acid Reflux: heartburn; a sour taste in the mouth; burning behind the breastbone
  parts: throat; chest; upper abdomen
  causes: gastroesophageal reflux; a hiatal hernia; gastritis
  advice: do not lie down after meals; raise the head of the bed; avoid fried food
- Stomach Pain: stomach pain; a gnawing pain in the upper belly; bloating after meals
  parts: upper abdomen; stomach
  causes: gastritis; a peptic ulcer; Helicobacter pylori
  advice: have a breath test for H. pylori; avoid painkillers like ibuprofen; eat regular \
meals
- Diarrhea: watery diarrhea; loose stools every morning; diarrhea after eating out
  causes: gastroenteritis; irritable bowel syndrome; lactose intolerance
  advice: drink oral rehydration solution; avoid dairy for a while; see a doctor if there is \
blood
- Constipation: hard stools; no bowel movement for five days; straining on the toilet
  causes: slow transit; low fiber; an irritable bowel
  advice: eat more fiber; drink water; walk every day
- Blood in Stool: blood in the stool; black tarry stools; bright red blood on the paper
  parts: rectum; anus
  causes: hemorrhoids; an anal fissure; a colon polyp
  advice: have a colonoscopy; do not ignore black stools; keep stools soft
- Fatty Liver: fatty liver; high liver enzymes; a dull ache under the right ribs
  parts: right upper abdomen
  causes: fatty liver disease; alcohol; hepatitis B
  advice: lose weight slowly; cut out sugary drinks; check hepatitis markers

## Family Medicine | 5 | a family doctor | Internal Medicine; Pediatrics; Infectious Diseases
parts: -
triggers: after a cold; during flu season; after travel; in the morning; after a long day
- Common Cold: a runny nose and cough; a cold that will not go away; sneezing and a mild \
fever
  parts: nose; throat
  causes: a common cold; the flu; a sinus infection
  advice: rest and drink fluids; use saline spray; see a doctor if the fever is high
- Health Checkup: abnormal checkup results; a high reading on my checkup; a question about \
lab results
  causes: lab variation; an early problem; dehydration before the test
  advice: repeat the test; bring previous results; ask what the reference range means
- Vaccination: questions about which vaccines I need; side effects after the vaccine; a sore \
arm after the shot
  parts: arm
  causes: a normal immune response; a local reaction; a mild fever after vaccination
  advice: keep a vaccination record; use a cold pack; report any severe reaction
- Weight Gain: gaining weight fast; trouble losing weight; a bigger waistline
  parts: waist; belly
  causes: diet; hypothyroidism; medication side effects
  advice: track meals; walk daily; check thyroid function
- Night Sweats: sweating at night; soaked pajamas; waking up drenched
  causes: an infection; hormonal changes; anxiety
  advice: check for weight loss; keep the room cool; see a doctor if it persists
- Hiccups: hiccups that will not stop; hiccups for two days; hiccups after meals
  causes: a stretched stomach; reflux; nerve irritation
  advice: eat slowly; avoid fizzy drinks; see a doctor if they last over two days

## Rehabilitation | 4 | a rehabilitation doctor | Orthopedics; Neurology; Neurosurgery
parts: -
triggers: after sitting long; after exercise; in the morning; after a stroke; after surgery
- Neck Stiffness: a stiff neck; neck pain after using my phone; trouble turning my head
  parts: neck
  causes: muscle strain; text neck; cervical spondylosis
  advice: do neck stretches; adjust your screen height; try physical therapy
- Stroke Recovery: weakness after a stroke; trouble walking after a stroke; a stiff hand \
after stroke
  parts: left arm; right leg; hand
  causes: muscle spasticity; loss of balance; nerve damage
  advice: keep up daily exercises; use a walking aid; ask about occupational therapy
- Sciatica: pain down the leg; shooting pain in the buttock; numb toes
  parts: buttock; back of the thigh; leg
  causes: sciatica; a herniated disc; piriformis syndrome
  advice: do gentle stretches; avoid long sitting; ask about traction
- Post Surgery Rehab: stiffness after knee surgery; weak leg after surgery; swelling after \
surgery
  parts: knee; hip; shoulder
  causes: scar tissue; muscle weakness; swelling
  advice: follow the exercise plan; use ice after sessions; progress slowly
- Scoliosis: a curved spine; uneven shoulders; a hump on one side of the back
  parts: spine; back
  causes: idiopathic scoliosis; poor posture; leg length difference
  advice: have a spine x-ray; do specific exercises; ask about a brace
"""
