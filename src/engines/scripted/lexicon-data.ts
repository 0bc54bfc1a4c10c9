/**
 * The words students and patients use, grouped by what they mean. Written by hand: no maintained
 * library maps Indian-English and Hinglish clinic talk ("loose motions", "bukhar", "sugar") onto
 * clinical concepts. Two tables:
 *
 * - {@link TRANSLATIONS}: Hinglish and chat shorthand rewritten into English words before anything
 *   else, so "kab se bukhar hai" reads as "since when fever".
 * - {@link CONCEPT_FORMS}: a concept id and the phrases (lay, clinical, misspelt on purpose where
 *   the misspelling is common) that name it; phrases are matched on stemmed words, longest first.
 */

/** `from, from -> to`, one per line (a `from` may be several words); `to` may be empty (a filler word). */
export const TRANSLATIONS = `
bukhar, bukhaar, bukar, bhukhar, jwar, taap -> fever
khansi, khasi, khaansi -> cough
balgam, balgham -> phlegm
dard, dardh -> pain
ulti, ultiyan, ulte, vomitting, vommiting -> vomiting
dast, loose motion, loose motions -> diarrhoea
peshab, pesab, peshaab -> urine
neend, nind -> sleep
pet -> stomach
sar, sir -> head
seena, seene, chhati, chaati -> chest
saans, sans -> breath
chakkar -> dizziness
kamzori, kamjori -> weakness
thakan, thakaan, thakawat -> tiredness
bhook, bhookh, bhuk -> appetite
pyaas, pyas -> thirst
pasina, paseena -> sweating
jalan -> burning
sujan, soojan -> swelling
kabz, kabj -> constipation
khoon, khun -> blood
tatti, potty, latrine -> stool
zukam, jukam, sardi -> cold
gala -> throat
ankh, aankh, aankhen -> eyes
jodon, jod -> joints
kamar -> back
pair -> legs
haath -> hands
vazan, wazan, vajan, wajan -> weight
udaas, udas -> sad
tension -> stress
chinta, fikar, fikr -> worry
dar, darr -> fear
dawai, dawa, davai, dawaai, goli, goliyan -> medicine
ghar -> home
gaon -> village
kaam, naukri -> work
khana -> food
sharab, sharaab, daru, daaru -> alcohol
cigarette, cigarettes, ciggy -> cigarette
mahina, mahwari, mc -> periods
safar -> travel
pani, paani -> water
teeka, tika, tikka -> vaccine
kasrat, vyayam -> exercise
parivar, pariwar -> family
bacche, bachche -> children
biwi, patni -> wife
pati -> husband
maa, mummy -> mother
papa, pitaji -> father
kab se -> since when
kya hua, kya hua hai -> what happened
pareshani, pareshaani, takleef, taklif, dikkat, samasya -> problem
bataiye, batao, bataao, boliye, bolo -> tell
kitne din se -> since how many days
kitne dino se -> since how many days
kitne din -> how many days
kitne -> how many
kitna -> how much
kab -> when
kahan, kaha, kidhar -> where
kaisa, kaisi, kaise -> how
kyun, kyon -> why
koi -> any
aur -> and
ya -> or
bhi -> also
nahi, nahin, nai -> not
zyada, jyada -> more
din -> days
hafte, hafta -> weeks
mahine -> months
raat -> night
subah -> morning
shuru -> start
hota, hoti, hote, hua, hui -> happens
lagta, lagti, lage -> feels
aapko, apko, aap, tumhe, tum, tumko -> you
mein -> in
kya, hai, hain, ho, tha, thi, ji, na, ka, ki, ke, ko, se, hoon, hun -> 
u -> you
ur -> your
r -> are
pls, plz -> please
abt -> about
wat, wht -> what
hw -> how
y -> why
smthng -> something
bp -> blood pressure
bs -> blood sugar
sob -> breathlessness
tb -> tuberculosis
uti -> urine infection
lmp -> last period
mh -> history
fh -> family history
hx -> history
meds -> medicines
`;

/**
 * `concept: phrase | phrase | ...`. Symptom and body concepts are what facts and questions share;
 * `cue_*` concepts are question words the classifier uses.
 */
export const CONCEPT_FORMS = `
fever: fever | feverish | temperature | febrile | pyrexia | hot body | body is hot | high temp | temp
chills: chill | chills | shiver | shivering | rigor | rigors | shaking | shake | cold and shiver | feel cold
sweat: sweat | sweats | sweating | perspir | night sweat | drenched
cough: cough | coughing | khokh | hacking
sputum: sputum | phlegm | mucus | spit | spitting | expectorat | cough up | bring up | balgam
blood: blood | bloody | bleed | bleeding | haemorrhage | hemorrhage
breathless: breathless | breathlessness | short of breath | shortness of breath | breath | breathing | breathe | dyspnoea | dyspnea | puff | puffed | gasping | winded | air hunger | sob
wheeze: wheeze | wheezing | whistl | tight chest | chest tight
chest: chest | breast bone | sternum
heart: heart | cardiac | palpitation | palpitations | racing heart | pounding | heart beat | heartbeat | thumping
pain: pain | painful | ache | aching | hurt | hurts | hurting | sore | soreness | tender | discomfort | cramp | cramps | pinch | agony
headache: headache | head ache | head pain | migraine | head hurt | head is heavy
head: head | forehead | temple
abdomen: abdomen | abdominal | belly | tummy | stomach | navel | umbilic | epigastri | gut | upper belly | lower belly
nausea: nausea | nauseous | nauseated | queasy | feel sick | feeling sick | like vomit | want to vomit | urge to vomit
vomit: vomit | vomiting | vomited | throw up | throwing up | threw up | puke | sick up | emesis
diarrhoea: diarrhoea | diarrhea | diarrhoe | loose stool | loose stools | watery stool | runny tummy | frequent stool | dysentery
constipation: constipat | hard stool | not passing stool | no motion | straining
stool: stool | stools | bowel | bowels | motion | poo | poop | toilet | latrine | faeces | feces | black stool
urine: urine | urinat | urination | pee | peeing | wee | pass water | passing water | micturition | bladder | dysuria | frequency of urine | toilet often
burning: burn | burning | sting | stinging | scald
rash: rash | rashes | spots | red spots | patches | eruption | skin bumps | blotch
itch: itch | itching | itchy | scratch | pruritus
skin: skin
weight: weight | weigh | kilo | kilos | kg | thinner | thin | lost weight | weight loss | gain weight | put on weight | clothes loose | slimmer | fatter
appetite: appetite | hunger | hungry | eat less | not eating | off food | off my food | taste for food | no taste | feel like eating
thirst: thirst | thirsty | dry mouth | drink a lot of water | drinking lot of water
sleep: sleep | sleeping | asleep | insomnia | awake | wake up | waking | nights | slept | drowsy | sleepless
mood: mood | sad | sadness | feeling low | feel low | low mood | low spirits | feeling down | feel down | depress | empty | hopeless | unhappy | cry | crying | tearful | feel blue | no interest | interest | enjoy | pleasure | spirits | worthless | failure | guilty | upset | lonely
suicide: suicid | kill myself | kill yourself | end my life | end your life | ending my life | ending your life | end it all | take my life | take your life | harm myself | harm yourself | hurt myself | hurt yourself | self harm | selfharm | better off without me | better off dead | not wake up | did not wake up | not to wake up | want to die | wish to die | dying | life not worth | not worth living | thoughts of death | death wish | pesticide | poison | hang myself | overdose
tired: tired | tiredness | fatigue | fatigued | exhausted | exhaustion | no energy | lethargy | lethargic | weak | weakness | no strength | drained | sluggish | lazy feeling
dizzy: dizzy | dizziness | giddy | giddiness | light headed | lightheaded | vertigo | spinning | faint | fainting | blackout | black out | passed out | collapse | unconscious
jaundice: jaundice | yellow | yellowish | icterus | yellow eyes | yellow skin
eye: eye | eyes | vision | see clearly | seeing | sight | blurred | blurry | visual | double vision
neck: neck | throat swelling | goitre | goiter
throat: throat | sore throat | swallow | swallowing | hoarse | voice
cold: runny nose | running nose | blocked nose | sneez | sneezing | cold | catarrh | nose
back: back | lower back | backache | spine | loin | flank
joint: joint | joints | knee | knees | ankle | wrist | elbow | shoulder | finger | fingers | arthritis
swelling: swell | swelling | swollen | puffy | puffiness | oedema | edema | lump
muscle: muscle | muscles | body ache | body pain | bodyache | all over
limb: leg | legs | arm | arms | hand | hands | foot | feet | calf
numb: numb | numbness | tingling | pins and needles | weakness on one side | paralys | cannot move
bleed_gum: gums | nose bleed | nosebleed | bruise | bruising
confusion: confus | drowsiness | not making sense | disoriented | memory | forget | forgetful | concentrat
discharge: discharge | white discharge | pus
genital: private part | private parts | down below | vagina | vaginal | penis | genital | genitals | groin
acidity: acid | acidity | heartburn | sour | burp | burps | belching | gas | bloat | bloated | bloating | indigestion | reflux | regurgitat
periods: period | periods | menstrua | menses | monthly | menstrual cycle | cycle | last period | lmp | bleeding between | menopause | menarche
pregnancy: pregnan | pregnancy | pregnant | expecting | baby | babies | children born | deliver | delivery | miscarriage | abortion | gravida | caesarean | c section | conceive
contraception: contracept | family planning | condom | condoms | pill | birth control | copper t | iud | sterilis | steriliz | operation for family planning | injection for family planning | protection
sexual: sex | sexual | sexually | partner | partners | intercourse | relationship | physical relation | married | marriage | girlfriend | boyfriend | sex worker | unprotected
travel: travel | travelled | traveled | trip | journey | went to | been to | visit | visited | outside the city | out of station | came back from | holiday | abroad | pilgrimage | migrat
contact: contact | anyone else | anybody else | somebody else | others around | around you | neighbour | neighbor | people around | same illness | same problem | also sick | also ill | exposure | exposed | colleague | co worker | classmate | people in | many people | several people | other people | two people | men from | boys from | friend from | friends from | man who works | in our village | in our lane | in our area | next village | in the village | in your village | in your area | my hostel | your hostel | other guests | also got
vaccine: vaccin | vaccination | vaccinated | immunis | immuniz | jab | jabs | shot | shots | booster | bcg | tetanus | covid shot | childhood injection
water_source: drinking water | water supply | water source | tap water | well water | hand pump | handpump | borewell | bore well | tube well | tanker | pond | river water | boil water | boiled water | filter water | filtered water | ro water | purifier | water from
exercise: exercise | exercising | gym | walk | walking | morning walk | jog | jogging | go for a run | yoga | sport | sports | active | activity | physical activity | workout | cycling | cricket
tobacco: smok | smoke | smoker | smoking | cigarette | cigarettes | bidi | beedi | bidis | beedis | tobacco | gutka | gutkha | khaini | paan | pan masala | chew | chewing | hookah | hukka | zarda | mawa
alcohol: alcohol | drink | drinks | drinking | drinker | booze | beer | whisky | whiskey | rum | wine | liquor | toddy | arrack | mahua | desi | peg | pegs | sharab | daru
drugs: drug | drugs | ganja | weed | charas | bhang | cannabis | marijuana | smack | heroin | inject drugs | substances
occupation: work | working | job | occupation | profession | employ | employed | business | farm | farmer | field | office | shop | labour | labor | duty | earn | salary | for a living | what do you do
home: home | house | live | living | stay | staying | family at home | who lives | roommate | hostel | room
family_members: family | families | parent | parents | father | mother | dad | mum | mom | brother | brothers | sister | sisters | sibling | siblings | relative | relatives | uncle | aunt | grandfather | grandmother | cousin | son | daughter | children | kids | wife | husband | runs in
medicine: medicine | medicines | medication | medications | tablet | tablets | pill | pills | drug | capsule | syrup | injection | injections | treatment | prescription | prescribed | ayurved | homeopath | home remed | remedy | remedies | chemist | pharmacy | painkiller | paracetamol | antibiotic | tonic | taking anything | take anything | dose | doses | insulin | inhaler
allergy: allerg | allergic | allergies | reaction to | react to | rash from medicine | intoleran | sensitive to
diabetes: diabetes | diabetic | sugar | blood sugar | glucose | madhumeh
hypertension: blood pressure | hypertension | high bp | pressure problem | pressure
tuberculosis: tuberculosis | koch | kochs
asthma_history: asthma | asthmatic | dama
heart_disease: heart disease | heart attack | heart problem | angina
surgery: surgery | operation | operated | surgical | procedure
hospital: hospital | admitted | admission | hospitali | ward | icu
past: past | before | previous | previously | ever | earlier | history | in the past | long term | chronic | any illness | illnesses | medical problems | medical conditions | other conditions | health problems | known case
food: food | diet | coffee | tea | chai | cups | cup of | eat | eating | ate | meal | meals | vegetarian | non veg | non vegetarian | outside food | street food | roadside | restaurant | hotel food | junk | spicy | oily | rice | roti | dal | fruit | vegetables | egg | meat | fish | chicken
insect: insect | insects | sandfly | sandflies | bug | bugs | biting insects | flies | fly bite | tick | ticks | mite | mites | chigger
wound: wound | wounds | cut | scab | eschar | sore that | not healing | healing | ulcer on | boil | blister | injury
blood_exposure: tattoo | tattoos | needle | needles | blood transfusion | transfusion | razor | shared needles
fluid_intake: glasses of water | glass of water | drink water | drinking water at work | water intake | fluids | how much water | little water
mosquito: mosquito | mosquitoes | mosquitos | net | nets | repellent | coil | stagnant water | cooler
animal: animal | animals | pets | dog | dogs | cat | cattle | cow | cows | goat | rat | rats | bird | birds | poultry | bitten | bush | grass
heat: heat | hot weather | summer | sun | garmi
stress: stress | stressed | tension | pressure at work | loan | loans | debt | money | exams | worried about money
cue_when: when | what time | which day | what day | kab
cue_start: start | started | starting | begin | began | beginning | first | onset | commence | came on | come on | notice | noticed | shuru
cue_sudden: sudden | suddenly | gradual | gradually | slowly | abrupt | all of a sudden | over time
cue_howlong: how long | how many days | how many weeks | how many months | how many years | since how | since when | duration | for how | how much time | since
cue_where: where | which part | which side | what part | which area | point | location | located | spread | spreads | radiat | move | moves | travel anywhere | go anywhere | shoot
cue_kind: what kind | what type | what sort | kind of | type of | sort of | describe | feel like | feels like | character | nature | like what | sharp | dull | stabbing | crushing | throbbing | pressing | squeezing | colicky | gnawing
cue_severity: how bad | how severe | severity | scale | out of 10 | out of ten | 1 to 10 | 0 to 10 | one to ten | rate | rating | intense | intensity | how much pain | how strong | how painful | unbearable | score | mild | moderate | severe | worst pain
cue_timing: constant | constantly | come and go | comes and goes | all the time | pattern | how often | frequency | time of day | at night | in the morning | evening | continuous | on and off | intermittent | episodes | every day | daily | night time | particular time | rhythm
cue_worse: worse | worsen | worsens | aggravat | trigger | triggers | bring it on | brings it on | brings on | makes it bad | increase | increases | exacerbat | provok
cue_better: better | improve | improves | reliev | relief | ease | eases | easier | help | helps | helped | settle | settles | calm down | reduce | reduces | go away | goes away | subside | tried | home remedy
cue_else: anything else | other | others | else | apart from | besides | along with | associated | any more | further | another | additional | together with | in addition
cue_name: name | called | call you | who are you | introduce yourself
cue_age: age | how old | years old | born | birthday | umar | umr
cue_think: what do you think | you think | any idea | your idea | ideas | why do you think | what might | what could | reason | cause | causing | caused | behind this | theory | believe | suspect | guess
cue_worry: worry | worried | worries | worrying | concern | concerned | concerns | afraid | scared | fear | fears | frighten | anxious | nervous | troubling you | bothering you
cue_expect: expect | expecting | expectation | hope | hoping | want from | like us to | would you like | wish | looking for | want us | hoping for | what do you want | outcome | help you today | can we do
cue_greet: hello | hi | hey | hii | good morning | good afternoon | good evening | namaste | namaskar | namaskaram | vanakkam | salaam | greetings | welcome | pleased to meet | nice to meet
cue_intro: my name is | i am doctor | i am dr | i am a doctor | intern | house surgeon | house officer | resident | medical student | junior doctor | student doctor | final year | postgraduate | pg | mbbs
cue_thanks: thank | thanks | thank you | thankyou | dhanyavad | dhanyawad | shukriya | bye | goodbye | take care | that is all | that is it | see you | done for today | we are done | all for now | get well
cue_empathy: sorry | so sorry | must be | i understand | understandable | sounds | difficult | hard for you | tough | frightening | scary | worrying for you | that is a lot | i can imagine | i can see | i hear you | not easy | feel for you | do not worry | rest assured | we are here | here to help | we will help | you are safe | natural to feel
cue_summary: summar | recap | let me see if | let me check if i have | so you are saying | to sum up | correct me | is that right | is that correct | did i get | so basically | so far you | you have told me
cue_plan: i will | we will | i am going to | we are going to | going to | plan | admit | refer | prescribe | start you on | give you | advise | recommend | suggest | treatment plan | next step | i think you have | you might have | it looks like | it could be
cue_examine: examin | examination | exam | check | checking | listen | listen to | auscultat | look at | look in | look into | feel your | palpat | press | percuss | vitals | vital signs | pulse | measure | stethoscope | torch | inspect | see your | tap
cue_test: test | tests | testing | investigation | investigations | investigate | blood test | blood work | bloods | report | reports | result | results | scan | x ray | xray | ultrasound | sonography | usg | order | send for | send you for | lab | sample | swab | culture | smear | biopsy | screening | get done | do a | cbc | blood count | haemogram | hemogram | ecg | ekg | lft | lfts | rft | kft | ns1 | hba1c | troponin | trop | echo | 2d echo | echocardiography | endoscopy | ogd | ct | ct scan | mri | widal | esr | crp | tsh | usg | abg | upt | cxr | chest x ray | peak flow | pefr | spirometry | sputum test | cbnaat | rk39 | elisa | serology | lipid profile | urine routine | dipstick | pregnancy test | phq
cue_explain: because | the reason i ask | i am asking because | i ask because | it helps us | it is important | helps me understand | confidential | private | stays between us | everyone | routine question | ask everyone
`;
