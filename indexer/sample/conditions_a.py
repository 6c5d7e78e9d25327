"""Curated conditions for sample archives, part one: the busiest specialties.

Hand-written for this project (no text from the site). Read by `sample_vocabulary`, which
documents the table layout. Symptom phrases are lay words in the asker's voice, so that a
search such as "burning when I pee" lands mostly on the specialty that treats it.
"""

TABLE = """
## Dermatology | 16 | a dermatologist | Family Medicine; Internal Medicine; Rheumatology
parts: thigh; shin; forearm; chest; back; face; scalp; neck; groin; hands
triggers: after a hot shower; at night; after sweating; when the weather turns cold; after \
changing laundry detergent; after eating seafood
- Red Spots: red spots; red itchy spots; tiny red dots that do not fade; flat red patches
  causes: petechiae; contact dermatitis; a viral rash; allergic purpura
  advice: avoid scratching; switch to a fragrance-free soap; take photos to track the spots
- Eczema: dry itchy skin; scaly patches that crack; rough skin that itches at night
  causes: atopic eczema; irritant dermatitis; a dry skin barrier
  advice: moisturize twice a day; use lukewarm water instead of hot; wear soft cotton
- Acne: pimples on the chin; painful cysts; blackheads and whiteheads
  parts: face; chin; forehead; back; chest
  causes: hormonal acne; clogged pores; bacteria in the follicles
  advice: do not squeeze the pimples; wash gently twice a day; ask about topical retinoids
- Hives: raised welts; itchy bumps that come and go; swollen lips with welts
  causes: urticaria; a food allergy; a drug reaction
  advice: try a non-drowsy antihistamine; note what you ate before the welts; avoid tight \
clothing
- Fungal Infection: ring-shaped rash; peeling skin between the toes; itchy groin rash
  parts: groin; feet; toes; chest
  causes: tinea; athlete's foot; a yeast infection of the skin
  advice: keep the area clean and dry; use an antifungal cream for four weeks; change socks \
daily
- Hair Loss: hair falling out in clumps; a bald patch; thinning hair on the crown
  parts: scalp; crown; hairline
  causes: alopecia areata; telogen effluvium; androgenetic alopecia
  advice: check thyroid and iron levels; avoid tight hairstyles; be patient as regrowth is slow
- Warts: a rough bump on the finger; plantar warts on the sole; small flesh-colored growths
  parts: finger; sole of the foot; hand; knee
  causes: a wart virus; HPV; a corn
  advice: do not pick at it; try salicylic acid; ask about freezing treatment
- Moles: a mole that changed color; a dark spot with uneven edges; a new mole that bleeds
  parts: back; arm; face; leg
  causes: an atypical nevus; a benign mole; melanoma
  advice: have it checked with a dermatoscope; watch for changes in size; use sunscreen
- Psoriasis: thick silvery scales; red plaques on the elbows; flaky scalp that bleeds
  parts: elbows; knees; scalp; lower back
  causes: psoriasis; seborrheic dermatitis; stress flares
  advice: use a medicated shampoo; keep the skin moisturized; ask about light therapy
- Hyperpigmentation: dark patches on the cheeks; brown spots after pimples; uneven skin tone
  parts: cheeks; forehead; upper lip
  causes: melasma; post-inflammatory pigmentation; sun damage
  advice: use sunscreen every day; avoid harsh scrubs; be patient with whitening creams

## Internal Medicine | 12 | an internist | Family Medicine; Cardiology; Gastroenterology
parts: -
triggers: after meals; in the morning; after climbing stairs; when I am stressed; at night; \
after drinking alcohol
- Fatigue: feeling tired all the time; no energy in the afternoon; exhaustion after sleeping \
well
  causes: anemia; an underactive thyroid; poor sleep
  advice: have a blood test for iron and thyroid; keep a regular bedtime; exercise lightly
- Fever: a low-grade fever; chills and sweating; a fever that comes back every evening
  causes: a viral infection; a urinary infection; an inflammatory condition
  advice: drink plenty of fluids; record your temperature twice a day; see a doctor if it \
lasts over three days
- High Blood Pressure: blood pressure readings around 150 over 95; pounding in the head; \
flushed face
  parts: head; neck
  causes: hypertension; too much salt; white coat effect
  advice: measure at home every morning; cut down on salt; keep a blood pressure log
- Swollen Lymph Nodes: a lump in the neck; swollen glands under the jaw; a tender node in \
the armpit
  parts: neck; armpit; groin; jaw
  causes: reactive lymph nodes; a throat infection; lymphadenitis
  advice: watch whether it shrinks in two weeks; have an ultrasound if it grows; do not \
squeeze it
- High Cholesterol: high cholesterol on a checkup; high triglycerides; fatty liver on \
ultrasound
  causes: hyperlipidemia; diet and weight; family history
  advice: eat less fried food; exercise thirty minutes a day; recheck in three months
- Anemia: pale skin and dizziness; low hemoglobin; cold hands and feet
  causes: iron deficiency; heavy periods; vitamin B12 deficiency
  advice: eat iron-rich foods; have a stool test; take iron with vitamin C
- Dizziness: lightheaded when I stand up; the room spinning; feeling faint
  parts: head
  causes: orthostatic hypotension; dehydration; inner ear problems
  advice: stand up slowly; drink more water; check your blood pressure lying and standing

## Obstetrics and Gynecology | 11 | a gynecologist | Urology; Family Medicine; Endocrinology
parts: -
triggers: before my period; after intercourse; during ovulation; after taking the pill; \
during pregnancy
- Irregular Periods: a late period; periods every two weeks; missed periods for three months
  causes: polycystic ovary syndrome; stress; a thyroid imbalance
  advice: keep a menstrual calendar; take a pregnancy test first; check hormone levels
- Vaginal Discharge: yellow discharge with a smell; thick white discharge; vaginal itching
  parts: vagina; vulva
  causes: a yeast infection; bacterial vaginosis; trichomonas
  advice: avoid douching; wear breathable underwear; finish the whole course of treatment
- Menstrual Cramps: severe period cramps; pelvic pain that makes me vomit; heavy bleeding \
with clots
  parts: lower abdomen; pelvis; lower back
  causes: endometriosis; adenomyosis; primary dysmenorrhea
  advice: use a heating pad; take pain relief before the cramps start; have a pelvic \
ultrasound
- Pregnancy Concerns: spotting in early pregnancy; morning sickness; cramping at eight weeks
  parts: lower abdomen; belly
  causes: implantation bleeding; a threatened miscarriage; normal uterine growth
  advice: rest and avoid heavy lifting; go to the hospital if bleeding is heavy; keep your \
prenatal visits
- Contraception: bleeding between periods on the pill; forgot to take a pill; a late period \
after the morning-after pill
  causes: breakthrough bleeding; missed pills; hormonal changes
  advice: use a backup method for seven days; take a pregnancy test after three weeks; take \
pills at the same time daily
- Ovarian Cysts: a sharp pain on one side of the pelvis; bloating and pelvic pressure; a cyst \
found on ultrasound
  parts: left side of the pelvis; right side of the pelvis; lower abdomen
  causes: a functional cyst; a chocolate cyst; a dermoid cyst
  advice: repeat the ultrasound after two cycles; go to the emergency room for sudden severe \
pain; avoid strenuous exercise
- Breast Lump: a lump in the breast; breast pain before periods; nipple discharge
  parts: left breast; right breast; armpit
  causes: a fibroadenoma; fibrocystic changes; a breast cyst
  advice: have a breast ultrasound; do a self-exam after each period; do not ignore a lump \
that grows
- Menopause: hot flashes; night sweats; vaginal dryness
  causes: menopause; perimenopause; low estrogen
  advice: dress in layers; discuss hormone therapy; keep up weight-bearing exercise

## Urology | 10 | a urologist | Nephrology; Obstetrics and Gynecology; Infectious Diseases
parts: -
triggers: after drinking coffee; at night; after sex; when I hold my urine; after long drives
- Urinary Tract Infection: burning when I pee; burning urination; cloudy urine with a strong \
smell
  parts: bladder; lower abdomen; urethra
  causes: a bladder infection; cystitis; urethritis
  advice: drink plenty of water; do not hold your urine; finish the antibiotics
- Frequent Urination: peeing every hour; waking up three times a night to urinate; a sudden \
urge to pee
  parts: bladder
  causes: an overactive bladder; an enlarged prostate; diabetes
  advice: cut down on caffeine; keep a bladder diary; try bladder training
- Blood in Urine: pink urine; blood clots in the urine; red urine after exercise
  causes: a kidney stone; a bladder infection; a bladder tumor
  advice: have a urinalysis; get an ultrasound of the kidneys; do not ignore painless \
bleeding
- Kidney Stones: sharp flank pain; pain that moves to the groin; a stone on the CT scan
  parts: left flank; right flank; lower back; groin
  causes: a calcium oxalate stone; dehydration; a uric acid stone
  advice: drink two to three liters of water a day; strain your urine; reduce salt
- Erectile Dysfunction: trouble keeping an erection; weak erections; losing the erection \
during sex
  causes: performance anxiety; poor blood flow; low testosterone
  advice: check blood sugar and cholesterol; quit smoking; talk openly with your partner
- Testicular Pain: a painful testicle; a swollen scrotum; a lump on the testicle
  parts: left testicle; right testicle; scrotum
  causes: epididymitis; a varicocele; a hydrocele
  advice: wear supportive underwear; seek urgent care for sudden severe pain; have a scrotal \
ultrasound
- Prostate Problems: a weak urine stream; dribbling after peeing; a high PSA
  parts: lower abdomen; perineum
  causes: benign prostatic hyperplasia; prostatitis; prostate cancer
  advice: repeat the PSA test; avoid cycling for a while; ask about alpha blockers
- Phimosis: a tight foreskin; foreskin that will not pull back; redness at the tip of the penis
  parts: penis; foreskin
  causes: phimosis; balanitis; scarring of the foreskin
  advice: keep the area clean; do not force the foreskin back; ask about steroid cream

## Pediatrics | 8 | a pediatrician | Family Medicine; Otolaryngology; Infectious Diseases
parts: -
triggers: after daycare; at night; after feeding; when teething; after vaccination
- Baby Fever: a high fever; a temperature of 39 degrees at night; a fever after shots
  causes: a viral illness; roseola; a reaction to vaccination
  advice: give fluids often; dress the child lightly; see a doctor if under three months
- Infant Feeding: spitting up after every feed; refusing the bottle; slow weight gain
  parts: tummy
  causes: reflux; a cow's milk protein allergy; feeding technique
  advice: burp the baby often; feed smaller amounts more often; track the weight chart
- Diaper Rash: a red diaper rash; bumps in the diaper area; a rash with white patches
  parts: diaper area; buttocks
  causes: irritant diaper dermatitis; a candida rash; a reaction to wipes
  advice: change diapers often; use a zinc barrier cream; let the skin air dry
- Child Cough: a barking cough; a cough that lasts weeks; wheezing at night
  parts: chest; throat
  causes: croup; asthma; a lingering cold
  advice: use a humidifier; watch for fast breathing; see a doctor if the lips turn blue
- Growth Concerns: being shorter than classmates; not gaining weight; early signs of puberty
  causes: constitutional delay; a nutrition problem; a hormone problem
  advice: plot the growth chart; check a bone age x-ray; ensure enough sleep
- Hand Foot and Mouth Disease: blisters in the mouth; spots on the palms and soles; refusing \
to eat
  parts: mouth; palms; feet
  causes: enterovirus; hand foot and mouth disease; herpangina
  advice: keep the child home from school; offer cold drinks; wash hands carefully
- Bedwetting: bedwetting at age six; wetting the bed again; daytime accidents
  causes: a small bladder capacity; deep sleep; constipation
  advice: limit drinks before bed; do not punish the child; try a bedwetting alarm

## Ophthalmology | 7 | an ophthalmologist | Neurology; Family Medicine; Endocrinology
parts: left eye; right eye; both eyes
triggers: after using the computer; in bright light; in the morning; after swimming; when \
reading
- Blurry Vision: blurry vision in the left eye; blurred vision when reading; cloudy vision
  causes: refractive error; cataract; dry eye
  advice: have a full eye exam; update your glasses; rest your eyes every twenty minutes
- Floaters: floaters in my vision; black dots that move; flashes of light
  causes: vitreous floaters; a posterior vitreous detachment; a retinal tear
  advice: have a dilated eye exam; seek care at once for a curtain over your vision; avoid \
rubbing your eyes
- Dry Eyes: dry gritty eyes; burning eyes; eyes that feel tired
  causes: dry eye syndrome; blepharitis; screen use
  advice: use artificial tears; blink often; use warm compresses
- Red Eye: a red eye; a bloodshot eye; sticky discharge from the eye
  causes: conjunctivitis; a subconjunctival hemorrhage; allergies
  advice: do not share towels; wash hands often; see a doctor if vision drops
- Myopia: nearsightedness getting worse; squinting at the board; high myopia
  causes: myopia progression; genetics; too much near work
  advice: spend time outdoors; ask about atropine drops; keep reading distance
- Stye: a bump on the eyelid; a swollen eyelid; a painful lump at the lash line
  parts: eyelid; upper eyelid; lower eyelid
  causes: a stye; a chalazion; a blocked gland
  advice: use warm compresses; do not squeeze it; keep the eyelid clean
- Glaucoma: high eye pressure; losing side vision; halos around lights
  causes: glaucoma; ocular hypertension; a narrow angle
  advice: use the drops every day; have regular visual field tests; do not stop the drops

## Otolaryngology | 7 | an ENT doctor | Neurology; Pediatrics; Family Medicine
parts: -
triggers: in the morning; when I lie down; after a cold; after flying; in dusty rooms
- Tinnitus: ringing in the ears; a buzzing sound in my ear; a high-pitched hum
  parts: left ear; right ear; both ears
  causes: tinnitus; noise damage; earwax
  advice: protect your ears from loud noise; have a hearing test; use background sound
- Sore Throat: a sore throat; pain when swallowing; swollen tonsils
  parts: throat; tonsils
  causes: tonsillitis; pharyngitis; reflux
  advice: gargle with warm salt water; rest your voice; see a doctor if you cannot swallow
- Nasal Congestion: a stuffy nose; constant sneezing; a runny nose every morning
  parts: nose; sinuses
  causes: allergic rhinitis; sinusitis; a deviated septum
  advice: use a saline rinse; avoid dust; ask about a nasal steroid spray
- Hearing Loss: muffled hearing; sudden hearing loss in one ear; a blocked ear
  parts: left ear; right ear
  causes: sudden sensorineural hearing loss; earwax; fluid behind the eardrum
  advice: see a doctor within days for sudden loss; do not use cotton swabs; have a hearing \
test
- Ear Pain: ear pain; fluid draining from the ear; an itchy ear canal
  parts: left ear; right ear; ear canal
  causes: otitis media; otitis externa; a perforated eardrum
  advice: keep the ear dry; do not insert objects; take pain relief
- Hoarseness: a hoarse voice; losing my voice; a lump in the throat feeling
  parts: throat; voice box
  causes: laryngitis; vocal cord nodules; acid reflux
  advice: rest your voice; drink warm water; have a laryngoscopy if it lasts two weeks
- Snoring: loud snoring; waking up gasping; stopping breathing during sleep
  causes: obstructive sleep apnea; enlarged tonsils; nasal blockage
  advice: sleep on your side; lose some weight; ask about a sleep study
- Nosebleeds: frequent nosebleeds; bleeding from one nostril; blood in the mucus
  parts: nose; left nostril; right nostril
  causes: dry nasal lining; a blood vessel in the septum; high blood pressure
  advice: pinch the soft part of the nose; use a humidifier; avoid picking
"""
