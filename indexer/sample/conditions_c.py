"""Curated conditions for sample archives, part three: the smaller specialties.

Hand-written for this project; layout documented in `sample_vocabulary`.
"""

TABLE = """
## Dentistry | 4 | a dentist | Otolaryngology; Plastic Surgery; Family Medicine
parts: -
triggers: when chewing; after cold drinks; at night; after brushing; after eating sweets
- Toothache: a toothache; a throbbing molar; pain when biting down
  parts: lower molar; upper molar; front teeth
  causes: a cavity; a cracked tooth; an abscess
  advice: see a dentist soon; rinse with warm salt water; avoid chewing on that side
- Bleeding Gums: bleeding gums; swollen gums; bad breath
  parts: gums
  causes: gingivitis; periodontitis; brushing too hard
  advice: floss daily; use a soft brush; have a dental cleaning
- Sensitive Teeth: sensitive teeth; a sharp zing from cold water; sore teeth after whitening
  parts: front teeth; molars
  causes: enamel wear; receding gums; a cavity
  advice: use a sensitivity toothpaste; avoid acidic drinks; ask about fluoride varnish
- Wisdom Teeth: a painful wisdom tooth; swelling behind the last molar; jaw stiffness
  parts: back of the mouth; lower jaw
  causes: an impacted wisdom tooth; pericoronitis; crowding
  advice: keep the area clean; have a panoramic x-ray; ask about extraction
- Jaw Pain: jaw clicking; pain when opening my mouth; grinding my teeth at night
  parts: jaw; jaw joint
  causes: temporomandibular disorder; bruxism; stress
  advice: wear a night guard; eat soft food; avoid chewing gum
- Mouth Ulcers: mouth ulcers; a white sore on the tongue; painful canker sores
  parts: tongue; inner cheek; lip
  causes: aphthous ulcers; a bite injury; a vitamin deficiency
  advice: use a soothing gel; avoid spicy food; see a doctor if it lasts over three weeks

## Endocrinology | 3 | an endocrinologist | Internal Medicine; Nutrition; Obstetrics and \
Gynecology
parts: -
triggers: after meals; in the morning; when fasting; after taking my medicine
- Diabetes: high blood sugar; always thirsty and peeing a lot; an HbA1c of 7.5
  causes: type 2 diabetes; prediabetes; insulin resistance
  advice: check blood sugar regularly; cut down on sugary drinks; walk after meals
- Thyroid Nodules: a lump in the thyroid; a nodule on ultrasound; swelling at the front of \
the neck
  parts: neck
  causes: a benign nodule; a thyroid cyst; thyroid cancer
  advice: have a fine needle biopsy if advised; repeat the ultrasound; check thyroid levels
- Hyperthyroidism: a fast heartbeat and weight loss; shaky hands and sweating; bulging eyes
  causes: Graves' disease; thyroiditis; a toxic nodule
  advice: check thyroid hormone levels; take the medicine as prescribed; avoid iodine \
supplements
- Hypothyroidism: always cold; dry skin and slow thinking; a puffy face
  causes: Hashimoto's thyroiditis; iodine deficiency; after thyroid surgery
  advice: take thyroxine on an empty stomach; recheck levels in six weeks; do not skip doses
- Low Blood Sugar: shaky and sweaty before lunch; low blood sugar; fainting when hungry
  causes: reactive hypoglycemia; diabetes medication; skipping meals
  advice: carry glucose tablets; eat regular meals; record readings during symptoms

## Pulmonology | 3 | a pulmonologist | Internal Medicine; Cardiology; Infectious Diseases
parts: -
triggers: at night; when it is cold; after exercise; when I lie down; around smoke
- Chronic Cough: a cough that lasts two months; coughing up phlegm; a dry tickly cough
  parts: throat; chest
  causes: postnasal drip; asthma; reflux
  advice: have a chest x-ray; avoid smoke; ask about a lung function test
- Asthma: wheezing; a tight chest at night; short of breath when running
  parts: chest
  causes: asthma; exercise-induced bronchospasm; allergies
  advice: use the inhaler correctly; avoid triggers; keep a rescue inhaler with you
- Lung Nodule: a spot on my lung; a nodule on the CT scan; a shadow on the chest x-ray
  parts: right lung; left lung
  causes: a benign granuloma; an old infection; early lung cancer
  advice: follow up with a low-dose CT; bring old scans for comparison; quit smoking
- Pneumonia: a cough with fever and chest pain; green phlegm; breathing fast
  parts: chest
  causes: pneumonia; bronchitis; the flu
  advice: finish the antibiotics; rest well; seek care if your lips turn blue
- Sleep Apnea: daytime sleepiness; snoring with pauses; morning headaches
  causes: obstructive sleep apnea; obesity; a narrow airway
  advice: have a sleep study; try a CPAP machine; avoid alcohol at night

## Nephrology | 2 | a nephrologist | Urology; Internal Medicine; Endocrinology
parts: -
triggers: after a checkup; in the morning; after exercise; after taking painkillers
- Protein in Urine: foamy urine; protein in the urine; bubbles in the toilet
  causes: proteinuria; kidney disease; exercise
  advice: repeat the urine test; control blood pressure; check kidney function
- Kidney Function: a high creatinine; a low eGFR; kidney disease on my report
  causes: chronic kidney disease; dehydration; medication effects
  advice: avoid painkillers such as ibuprofen; control sugar and pressure; see a nephrologist
- Swelling: swollen eyelids in the morning; puffy legs; weight gain from fluid
  parts: eyelids; legs; ankles
  causes: nephrotic syndrome; salt retention; heart problems
  advice: reduce salt; weigh yourself daily; check urine protein
- High Uric Acid: high uric acid; a painful big toe; gout attacks
  parts: big toe; foot
  causes: gout; hyperuricemia; a purine-rich diet
  advice: drink plenty of water; cut down on beer and organ meats; ask about medication
- Dialysis: starting dialysis; itching on dialysis; feeling tired after dialysis
  causes: end-stage kidney disease; fluid overload; anemia
  advice: follow the fluid limit; watch potassium in food; keep all dialysis sessions

## Oncology | 2 | an oncologist | Internal Medicine; General Surgery; Nutrition
parts: -
triggers: after chemotherapy; after surgery; during radiation; at night
- Chemotherapy Side Effects: nausea after chemotherapy; hair loss from chemo; mouth sores \
during chemo
  causes: chemotherapy side effects; low blood counts; dehydration
  advice: take anti-nausea medicine on time; eat small meals; report fever at once
- Tumor Markers: a high CEA; a rising tumor marker; abnormal CA-125
  causes: inflammation; a benign condition; cancer recurrence
  advice: repeat the test; do imaging if it keeps rising; do not panic over one result
- Cancer Screening: family history of cancer; worries about cancer screening; a suspicious \
finding on screening
  causes: inherited risk; age; lifestyle factors
  advice: follow screening schedules; discuss genetic testing; keep records
- Unexplained Weight Loss: losing weight without trying; no appetite; feeling full quickly
  causes: cancer; an overactive thyroid; depression
  advice: see a doctor soon; have blood tests; track your weight weekly
- Lymphoma: painless swollen nodes; itching all over with fevers; drenching sweats
  causes: lymphoma; an infection; a reactive node
  advice: have a node biopsy; get a CT scan; watch for fevers

## Rheumatology | 2 | a rheumatologist | Orthopedics; Dermatology; Internal Medicine
parts: -
triggers: in the morning; when it rains; after rest; after exercise
- Joint Pain: swollen finger joints; morning stiffness over an hour; painful wrists
  parts: fingers; wrists; knees
  causes: rheumatoid arthritis; osteoarthritis; psoriatic arthritis
  advice: check rheumatoid factor; keep joints moving; ask about disease-modifying drugs
- Lupus: a butterfly rash; joint pain with fatigue; mouth sores and hair loss
  parts: face; joints
  causes: lupus; a drug reaction; another autoimmune disease
  advice: check ANA; use sun protection; have regular urine tests
- Ankylosing Spondylitis: back stiffness that improves with exercise; buttock pain at \
night; a stiff spine
  parts: lower back; spine
  causes: ankylosing spondylitis; HLA-B27 related arthritis; mechanical back pain
  advice: keep exercising; have an MRI of the sacroiliac joints; ask about biologics
- Gout: a red hot toe; sudden joint swelling; pain in the big toe at night
  parts: big toe; ankle
  causes: gout; pseudogout; an infected joint
  advice: rest the joint; drink water; lower uric acid over time
- Fibromyalgia: aching all over; tender points; pain and poor sleep
  causes: fibromyalgia; poor sleep; stress
  advice: exercise gently; improve sleep habits; consider counseling

## Infectious Diseases | 2 | an infectious disease specialist | Internal Medicine; Family \
Medicine; Urology
parts: -
triggers: after travel; after unprotected sex; after a tick bite; after eating street food
- Sexually Transmitted Infections: a sore on the genitals; discharge after sex; worried about \
HIV
  parts: genitals
  causes: herpes; gonorrhea; chlamydia
  advice: get tested; use condoms; inform partners
- Shingles: a painful band of blisters; burning pain on one side; a rash after chickenpox
  parts: chest; back; waist
  causes: shingles; herpes zoster; nerve pain after shingles
  advice: start antivirals early; keep blisters covered; ask about the shingles vaccine
- Hepatitis: hepatitis B carrier; yellow eyes; tired with dark urine
  causes: hepatitis B; hepatitis C; hepatitis A
  advice: check liver function; have an ultrasound every six months; do not share razors
- Travel Illness: fever after travel; diarrhea after a trip; a rash after a mosquito bite
  causes: dengue fever; traveler's diarrhea; malaria
  advice: tell the doctor where you traveled; drink fluids; seek care quickly
- Tuberculosis: a cough with blood; a positive TB test; night sweats and weight loss
  parts: lungs; chest
  causes: tuberculosis; latent TB; an old scar
  advice: have a chest x-ray; finish the whole treatment; cover your cough

## General Surgery | 2 | a general surgeon | Gastroenterology; Plastic Surgery; Oncology
parts: -
triggers: when lifting; when coughing; after meals; when sitting
- Hernia: a bulge in the groin; a lump near the belly button; pain when lifting
  parts: groin; belly button
  causes: an inguinal hernia; an umbilical hernia; a lipoma
  advice: avoid heavy lifting; ask about surgery; go to the emergency room if it is stuck
- Hemorrhoids: a lump at the anus; bleeding after a bowel movement; itching around the anus
  parts: anus
  causes: hemorrhoids; an anal fissure; a skin tag
  advice: use sitz baths; eat fiber; avoid straining
- Gallstones: pain under the right ribs after fatty meals; gallstones on ultrasound; nausea \
after dinner
  parts: right upper abdomen
  causes: gallstones; cholecystitis; biliary colic
  advice: avoid fatty food; ask about gallbladder removal; seek care for fever with pain
- Appendicitis: pain in the lower right abdomen; pain that started at the belly button; \
fever and vomiting
  parts: lower right abdomen
  causes: appendicitis; gastroenteritis; an ovarian cyst
  advice: go to the emergency room; do not eat until assessed; have an ultrasound or CT
- Lipoma: a soft lump under the skin; a rubbery bump on the back; a lump that moves
  parts: back; arm; shoulder
  causes: a lipoma; a sebaceous cyst; a swollen lymph node
  advice: have an ultrasound; watch for growth; remove it if it bothers you

## Plastic Surgery | 1 | a plastic surgeon | Dermatology; General Surgery; Dentistry
parts: -
triggers: after surgery; after an injury; after acne; after pregnancy
- Scars: a raised scar; a keloid; a red scar after surgery
  parts: face; abdomen; knee
  causes: a keloid; a hypertrophic scar; poor wound healing
  advice: use silicone gel sheets; avoid sun on the scar; ask about steroid injections
- Eyelid Surgery: droopy eyelids; bags under the eyes; uneven double eyelids
  parts: eyelids
  causes: aging; ptosis; fat pads
  advice: see an experienced surgeon; ask about recovery time; check eye dryness first
- Rhinoplasty: a crooked nose; a bump on the nose; breathing trouble after rhinoplasty
  parts: nose
  causes: a deviated septum; swelling after surgery; cartilage shape
  advice: wait a year for swelling to settle; avoid pressure on the nose; discuss goals
- Burns: a burn blister; a burn that will not heal; skin tightness after a burn
  parts: hand; arm; leg
  causes: a second-degree burn; infection; scar contracture
  advice: cool the burn with running water; do not pop blisters; keep it covered
- Fillers: lumps after filler; swelling after botox; asymmetry after injections
  parts: lips; cheeks; forehead
  causes: filler migration; swelling; uneven dosing
  advice: wait two weeks; massage only if told; see the injector

## Neurosurgery | 1 | a neurosurgeon | Neurology; Orthopedics; Rehabilitation
parts: -
triggers: after a fall; when walking; at night; after lifting
- Herniated Disc: a herniated disc; leg weakness with back pain; a slipped disc on MRI
  parts: lower back; neck
  causes: a lumbar disc herniation; a cervical disc herniation; degeneration
  advice: try conservative treatment first; ask about surgery if weakness grows; avoid \
heavy lifting
- Spinal Stenosis: leg pain when walking; having to sit down to relieve leg pain; numb legs \
when standing
  parts: lower back; legs
  causes: spinal stenosis; spondylolisthesis; arthritis
  advice: bend forward to relieve pain; try physical therapy; discuss decompression surgery
- Head Injury: a bump on the head; headache after a fall; confusion after hitting my head
  parts: head
  causes: a concussion; a skull fracture; a brain bleed
  advice: watch for vomiting; get a CT scan if symptoms worsen; rest the brain
- Brain Tumor: a mass on the brain MRI; a meningioma; headaches with vomiting
  causes: a meningioma; a pituitary tumor; a glioma
  advice: see a neurosurgeon; repeat the MRI; discuss surgery or radiation
- Hydrocephalus: a fast-growing head size; a shunt problem; unsteady walking and memory loss
  causes: hydrocephalus; a blocked shunt; normal pressure hydrocephalus
  advice: have a CT scan; watch for headaches and vomiting; check the shunt

## Nutrition | 1 | a dietitian | Endocrinology; Gastroenterology; Family Medicine
parts: -
triggers: after meals; when dieting; at work; in the evening
- Weight Loss Diet: trouble losing weight on a diet; confusion about a diet plan; cravings at night
  causes: too many calories; irregular meals; stress eating
  advice: eat more vegetables; keep a food diary; aim for slow steady loss
- Protein Intake: worries about protein needs; protein powder safety; trouble building muscle
  causes: low protein intake; training needs; kidney concerns
  advice: spread protein over meals; prefer whole foods; check kidneys if unsure
- Vitamin Supplements: confusion about vitamins; vitamin D deficiency; taking too many supplements
  causes: low sun exposure; a restricted diet; marketing claims
  advice: test before supplementing; follow the recommended dose; eat a varied diet
- Picky Eating: picky eating; eating only rice; refusing vegetables
  causes: a normal phase; sensory issues; grazing between meals
  advice: offer new foods often; eat together; avoid pressure at meals
- Blood Sugar Diet: a diabetic diet; worries about fruit with diabetes; carbohydrate counting
  causes: carbohydrate load; meal timing; portion size
  advice: pair carbs with protein; choose whole grains; measure portions
"""
