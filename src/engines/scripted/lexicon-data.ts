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
pet, pait, payt, peit -> stomach
sir dard, sir mein dard, sar dard -> headache
sar, sir mein, sir me, sir ka, sir ke, sir ki -> head
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
kala, kaala, kali, kaali, kale, kaale -> black
banna, banta, banti, bante, bann -> 
mann na lagna, man na lagna, mann nahi lagna, dil na lagna -> no interest
mal, mal tyag -> stool
kharab, kharaab, kharabi, kharaabi -> bad
gala kharab, gala baitha, gale mein kharash -> sore throat
sar ghumna, sir ghumna, sar ghoomna, sir ghoomna, sar ghoomta, sir ghoomta, sar ghumta, sir ghumta, chakkar aana, chakkar aata -> dizziness
ghumna, ghoomna, ghoomta, ghumta -> spinning
dum ghutna, dam ghutna, dum ghut, ghutan, ghabrahat saans -> breathlessness
pet phoolna, pet phula, pet phoola, pet phool, pet phulna, gas bharna, pet bhari -> bloating
saans chadhna, saans chadhti, saans chadh, saans chadhta, sans chadhna -> breathlessness
chadhna, chadhte, chadhti, chadhta -> climbing
aana, ana, aaye, aayega -> come
lene, lenge, le rahe, le rahi -> take
khoon ki kami, khoon kam, khoon ki kammi -> anaemia
marod, marodh, maror, marorh, aenthan, ainthan -> cramps
aanv, aav, aao -> mucus
chidchida, chidchidi, chidchidapan, chidchidaapan -> irritable
naak behna, naak beh, naak bahna, naak bahti -> runny nose
behna, bahna -> running
utarta, utarti, utar, utra, utar jata, utar jaata -> comes down
aankhon ke aage andhera, aankhon mein andhera, andhera chhana, andhera chha -> blackout
andhera -> dark
ghata, ghat gaya, ghat gayi, ghata hai, ghatna -> less
bar bar -> frequently
ruk ruk ke, ruk ruk kar -> weak stream
twacha, chamdi, chamri -> skin
sukhi, sookhi, sukha, sookha -> dry
ilaaj karaya, ilaj karaya -> treated
exams, examz -> school exams
which all -> which
what all -> what
where all -> where
theek se, thik se, theek tarah se, thik tarah se, sahi se, sahi tarah se, achhe se, ache se, acche se -> properly
kya lagta hai, kya lagta, kya lag raha hai, kya lagti hai, kya samajhte ho, kya sochte ho, kya sochti ho, kya sochte hain, kya khayal hai, kya khyal hai -> what do you think
kya bimari, kaun si bimari, kaunsi bimari -> what illness
sabse zyada, sabse jyada -> most
teeka, tika, tikka -> vaccine
kasrat, vyayam -> exercise
parivar, pariwar -> family
bacche, bachche -> children
biwi, patni -> wife
pati -> husband
maa, mummy -> mother
papa, pitaji -> father
qabz, qabj, kabziyat, qabziyat, kabzi, pet saaf nahi, pet saaf nahin -> constipation
khujli, khujlee, khujali, kharish, khaaj -> itching
dhadkan, dhadkane, dhadkanein, dhak dhak -> heartbeat
dil -> heart
ghabrahat, ghabraahat, ghabrahaat, bechaini, becheni -> anxiety
saans phoolna, saans phoolti, saans phulna, saans phool, saans phoolta, hafna, haanfna -> breathlessness
peela, peeli, peele, pila, pili, pilapan, peelapan -> yellow
piliya, pilia, peeliya, kamla -> jaundice
behosh, behoshi, behos -> fainting
kapkapi, kanpkanpi, kaanpna, thand lagna, thand lagti, thand lag -> shivering
thand, thandi -> cold
gale -> throat
kharash -> soreness
naak -> nose
chheenk, chhink, chheek -> sneezing
dhundhla, dhundla, dhundhala, dhundhli -> blurred
kaan -> ear
daant, dant -> teeth
munh, muh, mooh, munh mein -> mouth
jeebh, jibh -> tongue
chhale, chaale, chhaale -> mouth ulcers
peeth -> back
ghutna, ghutne, ghutno -> knees
kandha, kandhe -> shoulder
ungli, ungliyan, ungliyon -> fingers
pairon, pairo, paon, paun, pao -> feet
gardan -> neck
kalai -> wrist
jodo, jodon mein, jodo mein -> joints
daane, dane, chakatte, chakte, dhabbe -> spots
fode, phode, phunsi, phunsiyan -> boils
ghav, ghaav, zakhm, zakham -> wound
susu, su su -> urine
baar baar, jaldi jaldi -> frequently
rok nahi, rok nahin, roka nahi -> can not hold
masik, masik dharm, mahvari, maheena -> periods
garbh, garbhavastha, garbhvati -> pregnancy
bachcha, baccha, bachha, bacha, bachon -> baby
bachchedani, bachedani, bacchedani -> womb
nasbandi -> sterilisation
mala d, mala n, chhaya goli -> contraceptive pill
antara -> contraceptive injection
nirodh -> condom
tambaku, tambakoo, tambaakoo, tambakhu, tamaku -> tobacco
nasha -> intoxication
mirch, mirchi, masaledar, masala, teekha, tikha -> spicy
namak -> salt
achar, achaar -> pickle
tel -> oil
doodh -> milk
phal -> fruit
sabzi, sabji -> vegetables
chawal -> rice
anda, ande -> egg
bahar ka khana -> outside food
roz, rozana, roj, har roz, har din -> daily
ek din chhod ke, ek din chhod kar, ek din chod ke, ek din chod kar, har doosre din, har dusre din, ek din chhodkar -> every other day
kabhi kabhi, kabhi kabhar -> sometimes
kabhi -> ever
pehle, pahle, pehley, pahile -> before
baad, baad mein -> after
abhi -> now
aaj -> today
karwaya, karvaya, karaya, karwai, karwayi, karvayi, karwaaya, karwaye, karvaye -> done
jaanch, janch, jaach, jaanch -> test
lagwaya, lagvaya, lagwayi, lagvayi, lagwaye, lagwaaya -> fitted
liya, liye, lete, leti, lena, leta -> take
kaun kaun se, kaun kaun si, kaun se, kaun si, kaunse, kaunsa, kaunsi, kis -> which
kaun -> who
kisi -> any
kise, kisko -> who
kitni baar, kitne baar -> how often
kis tarah, kis tarah ka, kis type -> what kind
humse, hamse -> from us
humko, hamein, hume, hamko -> us
chahte, chahti, chahiye, chaahte, chahta -> want
umeed, ummeed -> hope
kar, karo, karna, karte, karti, karta -> do
rahe, raha, rahi -> 
sakte, sakti, sakta -> can
aata, aati, aate, aaya, aayi, aaye -> comes
jaata, jaati, jaate, jata, jati -> goes
khate, khati, khaate, khaati, khaya, khaana -> eat
peete, peeti, pite, piti, peena, pina -> drink
sote, soti, sona, soye -> sleep
uthte, uthti, uthna -> wake up
chalne, chalna, chalte, chalti -> walking
seedhi, sidhi, seedhiyan -> stairs
dikhta, dikhti, dikhai -> see
sunai -> hearing
badhta, badhti, badhna, badha, badh -> increases
aaram -> relief
theek, thik -> better
bahut, bohot, bahot -> very
thoda, thodi, thora -> little
zor, jor -> severe
tez -> fast
bimari, beemari, bimaari, rog -> illness
ilaj, ilaaj, upchar -> treatment
vaid, vaidya, hakim, ojha, jholachhap, jhola chhap -> healer
desi dawa, desi dawai, jadi buti, jadibuti, gharelu nuskha, nuskhe -> home remedy
chot -> injury
gira, gire, giri -> fell
shaadi, shadi -> marriage
ghar wale, gharwale, ghar waale, gharwalo -> family
padosi, padosiyon -> neighbours
dost, doston, saheli -> friends
beti -> daughter
saas, sasur, sasural -> in laws
ghar wali, gharwali -> wife
kheti, kheti baadi -> farming
khet -> field
majdoori, mazdoori, mazdoor, majdoor -> labour
dukaan, dukan -> shop
daftar -> office
machhar, machchar, machar, macchar -> mosquito
machhardani, machardani, macchardani -> mosquito net
kutta, kutte -> dog
billi -> cat
gaay, bhains -> cattle
bakri -> goat
chuha, chuhe -> rats
murgi, murgiyan -> poultry
kuan, kuaan, kuwa -> well water
nal, nalka -> tap
talab, talaab -> pond
nadi -> river
teekakaran -> vaccination
sui -> injection
bharti, bhartee -> admitted
aspatal, aspataal -> hospital
wait gain, weight gain hua, wait badha -> weight gain
wait loss, wait kam, wait ghata -> weight loss
mota, motapa, mote -> fatter
patla, patli, dubla, dubli -> thinner
bal, baal -> hair
baal jhadna, bal jhadna, baal girna, bal girte, baal girte, baal jhad -> hair loss
awaz, awaaz, aawaz -> voice
nigalne, nigalna, nigal -> swallowing
dakar, dakaar -> burp
khatta, khatti -> sour
man nahi lagta, mann nahi lagta, dil nahi lagta, man nahi karta, mann nahi karta -> no interest
rona, rone -> crying
akela, akeli, akelapan -> lonely
gussa -> angry
marne, marna, mar jaun, mar jana -> dying
khudkushi, aatmahatya, atmahatya -> suicide
yaad, yaaddasht -> memory
sardard, sirdard -> headache
petdard -> stomach pain
matli, mitli, ji machlana, jee machlana, ji michlana -> nausea
sunn, sunnpan, jhunjhuni, jhanjhanahat -> numbness
lakwa, lakva -> paralysis
mirgi, daura, daure -> fits
safed paani, safed pani, safed panni, white paani -> white discharge
badboo, badbu, badbo, durgandh -> bad smell
dhoop -> sun
ocp, ocps, oc pill, oc pills -> contraceptive pill
iucd, iucds, cu t -> copper t
doe, soboe -> breathlessness on exertion
pnd -> wake up breathless at night
h o -> history of
c o -> complaint of
k c o -> known case of
htn -> hypertension
dm, t2dm, t2 dm, dm2 -> diabetes
cad, ihd -> heart disease
mi -> heart attack
cva -> stroke
ckd -> kidney disease
ptb -> tuberculosis
att -> tuberculosis medicine
bt -> blood transfusion
loc -> loss of consciousness
cp -> chest pain
sti, stis, std, stds -> sexually transmitted infection
pmh, pmhx -> past history
psh -> past surgery
dhx -> medicines history
shx -> social history
nsaid, nsaids -> painkillers
otc -> medicine from chemist
lcb -> last delivery
lscs -> caesarean
ftnd, nvd -> normal delivery
mtp -> abortion
urti -> cold and cough
kaanpkar, kanpkar, kaanp kar, kaanpte, kaanpna -> shivering
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
kuch, kuchh, kuchch -> some
apne, apna, apni, zara, jara, wala, wali, wale, waala, waali, waale, waise, vaise, chaliye, suniye, sunie, suno, toh, baat, sach, bilkul, ekdum -> 
mujhe, mujhko -> me
phir, fir -> then
lekin, magar -> but
jab -> when
kabse, kab-se -> since when
haan, haan ji, han, haa, hanji, haanji, accha, acha, achha, achcha, chalo, ji haan, hmm, hm, theek hai, thik hai, theek h, thik h -> 
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
chills: chill | chills | colder | feel colder | more cold | cold intolerance | feel the cold | intolerance to cold | can not bear cold | can not tolerate cold | shiver | shivering | rigor | rigors | shaking | shake | cold and shiver | feel cold | kapkapi | rigor with | teeth chatter | teeth chattering
sweat: sweat | sweats | sweating | perspir | night sweat | drenched
cough: cough | coughing | khokh | hacking | tickle in throat
sputum: sputum | phlegm | mucus | spit | spitting | expectorat | cough up | bring up | balgam | coughing up | mucous | colour of phlegm | color of phlegm
blood: blood | bloody | bleed | bleeding | haemorrhage | hemorrhage | haemoptysis | hemoptysis | haematuria | hematuria | haematemesis | hematemesis | melaena | melena | tarry
breathless: breathless | breathlessness | short of breath | shortness of breath | breath | breathing | breathe | dyspnoea | dyspnea | puff | puffed | gasping | winded | air hunger | sob | difficulty breathing | trouble breathing | breathing difficulty | can not breathe | breathing problem | out of breath | breathing fast | exertion | on exertion | exercise tolerance | breathlessness on exertion
wheeze: wheeze | wheezing | whistl | tight chest | chest tight | whistling sound | noisy breathing
chest: chest | breast bone | sternum | rib | ribs | side of chest
heart: heart | cardiac | palpitation | palpitations | racing heart | pounding | heart beat | heartbeat | thumping | racing | heart racing | fluttering | flutter | skipped beat | skip beat | missed beat | fast heartbeat | heart beating fast | heart beat fast | beats fast | irregular heartbeat | pulse racing
pain: pain | painful | ache | aching | hurt | hurts | hurting | sore | soreness | tender | discomfort | cramp | cramps | pinch | agony | pricking | tenderness | dard
headache: headache | head ache | head pain | migraine | head hurt | head is heavy | heaviness in head | heavy head | head heaviness | head pain
head: head | forehead | temple
abdomen: abdomen | abdominal | belly | tummy | stomach | navel | umbilic | epigastri | gut | upper belly | lower belly | pelvis | pelvic | lower tummy | lower abdomen | upper abdomen
nausea: nausea | nauseous | nauseated | queasy | feel sick | feeling sick | like vomit | want to vomit | urge to vomit | vomiting sensation | sick feeling | retching
vomit: vomit | vomiting | vomited | throw up | throwing up | threw up | puke | sick up | emesis
diarrhoea: diarrhoea | diarrhea | pani jaisa | paani jaisa | diarrhoe | loose stool | loose stools | watery stool | runny tummy | frequent stool | dysentery | watery motion | runny stool | frequent motion | upset stomach | stomach upset
constipation: constipat | hard stool | not passing stool | no motion | straining | hard motion | motion not clear | bowels not open | not opening bowels | difficulty passing stool | pass stool daily
stool: stool | stools | tenesmus | fissure | bowel | bowels | motion | poo | poop | toilet | latrine | faeces | feces | black stool | bowel habit | bowel habits | pass stool | passing stool | stool colour | pale stool | clay colour | black motion | piles | haemorrhoid | hemorrhoid | daily motion
urine: urine | urinat | polyuria | urination | pee | peeing | wee | pass water | passing water | micturition | bladder | dysuria | frequency of urine | toilet often | passing urine | frequent urination | night urination | nocturia | colour of urine | dark urine | red urine | frothy urine | foamy urine | urine output | stream | hesitancy | dribbl
burning: burn | burning | sting | stinging | scald
rash: rash | rashes | spots | red spots | patches | eruption | skin bumps | blotch | bumps | pimples | hives | welts | blisters | vesicles | skin lesion | lesions | marks on skin | patch | discolour
itch: itch | itching | itchy | scratch | pruritus
skin: skin | eczema | dermatitis | psoriasis | dry skin | skin problem | skin problems | skin allergy | skin disease | skin trouble | skin infection | fungal infection | ringworm | scabies
weight: weight | weigh | kilo | kilos | kg | thinner | thin | lost weight | weight loss | gain weight | put on weight | clothes loose | slimmer | fatter | weight gain | gained weight | clothes tight | heavier | lighter | put on | lost some weight | losing weight
appetite: appetite | hunger | hungry | anorexia | eating properly | eat properly | eating well | eat well | eating normally | eat normally | eating enough | eat enough | food properly | food intake | intake of food | taste in food | interest in food | desire to eat | eat less | not eating | off food | off my food | taste for food | no taste | feel like eating | eating less | eating more | appetite loss | loss of appetite | no appetite | early satiety | full quickly | feel full
thirst: thirst | thirsty | polydipsia | dry mouth | drink a lot of water | drinking lot of water | drinking more water | very thirsty | lots of water
sleep: sleep | sleeping | asleep | insomnia | awake | wake up | waking | nights | slept | drowsy | sleepless | sleep well | can not sleep | trouble sleeping | wake early | early waking | waking early | nap | naps | sleepy | bedtime | sleep pattern | hours of sleep | restless night
mood: mood | sad | sadness | feeling low | feel low | low mood | low spirits | feeling down | feel down | depress | empty | hopeless | unhappy | cry | crying | tearful | feel blue | no interest | interest | enjoy | pleasure | spirits | worthless | failure | guilty | upset | lonely | happy | happiness | enjoy things | things you liked | things you used to | hobbies | anhedonia | motivation | anxiety | panic | anger | angry | irritable | irritab | short tempered | feel like crying | how you feel | how you are feeling | how are you feeling in yourself
suicide: suicid | kill myself | kill yourself | end my life | end your life | ending my life | ending your life | end it all | take my life | take your life | harm myself | harm yourself | hurt myself | hurt yourself | self harm | selfharm | better off without me | better off dead | not wake up | did not wake up | not to wake up | want to die | wish to die | dying | life not worth | not worth living | thoughts of death | death wish | hang myself | overdose
lethal_means: pesticide | pesticides | poison | keetnashak
tired: tired | tiredness | malaise | fatigue | fatigued | exhausted | exhaustion | no energy | lethargy | lethargic | weak | weakness | no strength | drained | sluggish | lazy feeling | low energy | energy | stamina | tire easily | get tired | worn out | run down
dizzy: dizzy | dizziness | giddy | giddiness | light headed | lightheaded | vertigo | spinning | faint | fainting | blackout | black out | passed out | collapse | unconscious | room spinning | head spinning | blackouts | syncope | fainted | lose balance | loss of balance | unsteady | imbalance | loss of consciousness
jaundice: jaundice | yellow | yellowish | icterus | yellow eyes | yellow skin
eye: eye | eyes | vision | see clearly | seeing | sight | blurred | blurry | visual | double vision | blurring | blur | floaters | watering eye | red eye | eye pain | glasses | specs
neck: neck | throat swelling | goitre | goiter | lump in neck | stiff neck | neck stiffness | neck pain
throat: throat | sore throat | swallow | swallowing | hoarse | voice | tonsil | tonsils | sore throats | throat infection | throat pain
cold: runny nose | running nose | blocked nose | sneez | sneezing | cold | catarrh | nose | stuffy | congestion | sinus | sinuses | post nasal
back: back | lower back | backache | spine | loin | flank
joint: joint | joints | knee | knees | ankle | wrist | elbow | shoulder | finger | fingers | arthritis | hip | hips | toe | toes | small joints | big joints | stiffness | stiff | morning stiffness | swollen joints | joint swelling
swelling: swell | swelling | swollen | puffy | puffiness | oedema | edema | lump | swollen feet | swollen legs | puffy face | face swelling | facial puffiness | pedal | ankle swelling | lymph node | lymph nodes | gland | glands
muscle: muscle | muscles | body ache | body pain | bodyache | all over | myalgia
limb: leg | legs | arm | arms | hand | hands | foot | feet | calf | thigh | thighs | shin
numb: numb | numbness | tingling | pins and needles | weakness on one side | paralys | cannot move | burning feet | loss of sensation | weakness in hand | weakness of legs | paralysis
bleed_gum: gums | nose bleed | nosebleed | bruise | bruising | bleeding gums | bleed easily | easy bruising | purple spots | petechiae | blood spots
confusion: confus | focus | focusing | concentration | attention | mind wanders | mind wandering | absent minded | drowsiness | not making sense | disoriented | memory | forget | forgetful | concentrat | irrelevant talk | behaving oddly | strange behaviour
discharge: discharge | white discharge | pus | leucorrh | leukorrh | discharge from
testis: testis | testes s | testicular | scrotum | scrotal | balls | andkosh | ball sack
genital: private part | private parts | down below | vagina | vaginal | penis | genital | genitals | groin | private area | vulva | down there | genital ulcer | genital sores | testicle | testicles | scrotum | penile | womb | uterus
acidity: acid | acidity | heartburn | gastric | gastritis | dyspepsia | flatulence | hyperacidity | acid peptic | sour | burp | burps | belching | gas | bloat | bloated | bloating | indigestion | reflux | chest burning | burning chest | burning in the chest | rise up | rises up | rising up
periods: period | periods | menstrua | menses | monthly cycle | monthly period | monthly periods | monthly bleeding | monthlies | monthly problem | monthly date | menstrual cycle | cycle | last period | lmp | bleeding between | menopause | menarche | last menstrual period | regular periods | irregular periods | heavy periods | clots | pads | spotting between | missed period | late period | periods came
pregnancy: pregnan | pregnancy | pregnant | expecting | baby | babies | children born | deliver | delivery | miscarriage | abortion | gravida | caesarean | c section | conceive | how many children | number of children | live births | parity | births | stillbirth | child birth | childbirth | antenatal | youngest child | youngest one | last child | last baby | breastfeed | breastfeeding | normal delivery | children do you have | kids do you have
contraception: contracept | prevent pregnancy | avoid pregnancy | stop pregnancy | not get pregnant | avoid getting pregnant | prevent getting pregnant | avoid a baby | spacing between children | spacing | family planning | condom | condoms | pill | birth control | copper t | iud | sterilis | steriliz | operation for family planning | injection for family planning | protection | oral contraceptive | contraceptive pill | contraceptive pills | the pill | injectable | tubectomy | vasectomy | tubal ligation | ligation | implant | contraceptive injection
sexual: sex | sexual | sexually | partner | partners | intercourse | relationship | physical relation | married | marriage | girlfriend | boyfriend | sex worker | unprotected | sti | sexually transmitted | venereal | multiple partners | other partners | extramarital | unsafe sex
travel: travel | travelled | traveled | trip | journey | went to | been to | visit | visited | outside the city | out of station | came back from | holiday | abroad | pilgrimage | migrat | out of town | outside the village | other state | native place | hometown | forest | jungle | camping | trek | trekking
contact: contact | anybody you know | anyone you know | someone you know | somebody you know | people you know | anyone else | friend with | friends with | any friend | any friends | who ate with | ate at the | also unwell | others who | same kind of fever | same type of fever | same kind of illness | same kind of problem | same kind of sickness | same kind of symptoms | in hostel | in the hostel | in village | in your hostel | in the mess | in school | in your class | in class | anyone sick | anybody sick | anyone ill | anybody ill | someone sick | others sick | same complaint | same complaints | same trouble | anybody else | somebody else | others around | around you | neighbour | neighbor | people around | same illness | same problem | also sick | also ill | exposure | exposed | colleague | co worker | classmate | people in | many people | several people | other people | two people | men from | boys from | friend from | friends from | man who works | in our village | in our lane | in our area | next village | in the village | in your village | in your area | my hostel | your hostel | other guests | also got | similar fever | similar illness | similar symptoms | similar complaints | same symptoms | same fever | same complaint | also have fever | also had fever | also have symptoms | any symptoms too | have any symptoms | has any symptoms | also unwell | also fell ill | ate with you | ate the same
vaccine: vaccin | vaccination | vaccinated | immunis | immuniz | jab | jabs | shot | shots | booster | bcg | tetanus | covid shot | childhood injection | flu vaccine | flu shot | flu injection | influenza vaccine | pneumococcal | hepatitis b vaccine | rabies vaccine | tt injection | polio | mmr | measles vaccine | typhoid vaccine | covishield | covaxin | vaccination
water_source: drinking water | water you drink | water do you drink | water you drank | water you are drinking | drink water | drinking boiled | boiled or not | boil or not | boiled or unboiled | boil the water | boil your water | boiled and cooled | water boiled | water at home | water supply | water source | tap water | well water | hand pump | handpump | borewell | bore well | tube well | tanker | pond | river water | boil water | boiled water | filter water | filtered water | ro water | purifier | water from | pond water | mineral water | bottled water | packaged water | aquaguard | chlorine | open well | water do you drink | drinking water
exercise: exercise | exercising | gym | walk | walking | morning walk | jog | jogging | go for a run | yoga | sport | sports | active | activity | physical activity | workout | cycling | cricket | physical exercise | football | swim | swimming | dance | dancing | fitness | play sports
tobacco: smok | smoke | smoker | smoking | cigarette | cigarettes | bidi | beedi | bidis | beedis | tobacco | gutka | gutkha | khaini | paan | pan masala | chew | chewing | hookah | hukka | zarda | mawa | mishri | snuff | naswar | cigar | vape | vaping | sutta | smokeless
alcohol: alcohol | drink | drinks | drinking | drinker | booze | beer | whisky | whiskey | rum | wine | liquor | toddy | arrack | mahua | desi | peg | pegs | sharab | daru | country liquor | handia | hadia | chhang | feni | tharra | vodka | brandy | binge
drugs: drug | drugs | ganja | weed | charas | bhang | cannabis | marijuana | smack | heroin | inject drugs | substances | intoxicat | addiction | addict | opium | afeem | doda | poppy husk | brown sugar | sniff | solvent | whitener
occupation: work | working | job | occupation | profession | employ | employed | business | farm | farmer | field | office | shop | labour | labor | duty | earn | salary | for a living | for living | do for living | what do you do | farming | agricultur | labourer | mason | construction | driver | driving | teacher | factory | mill | mining | housewife | homemaker | household work | unemployed | retired | what work | kind of work | line of work | for work
home: home | house | live | living | you stay | u stay | you staying | u staying | do you stay | are you staying | stay with | staying with | staying at | stay at | staying in | who stays | stay alone | staying alone | moved into | moved in | moved house | shifted to | shifted into | shifted house | shifted home | new flat | new house | new place | new home | new room | neighbourhood | neighborhood | surroundings | near your house | near the house | around the house | around your house | family at home | who lives | roommate | hostel | room | stay with | live with | members at home | rent | rented | hut | crowded | overcrowd | rooms
family_members: family | families | parent | parents | father | mother | dad | mum | mom | brother | brothers | sister | sisters | sibling | siblings | relative | relatives | uncle | aunt | grandfather | grandmother | cousin | son | daughter | children | kids | wife | husband | runs in | in laws | mother in law | father in law | grandparents | twin | twins
medicine: medicine | medicines | medication | medications | ors | ors packet | ors solution | electral | oral rehydration | metformin | glimepiride | gliclazide | glibenclamide | glycomet | sitagliptin | vildagliptin | amlodipine | telmisartan | losartan | atenolol | enalapril | ramipril | metoprolol | tablet | tablets | pill | pills | drug | capsule | syrup | injection | injections | treatment | prescription | prescribed | ayurved | homeopath | home remed | home remedy | home remedies | remedy | remedies | chemist | pharmacy | painkiller | paracetamol | antibiotic | tonic | taking anything | take anything | dose | doses | insulin | inhaler | healer | quack | vaid | hakim | traditional medicine | herbal | native medicine | over the counter | self medicat | painkillers | nsaid | medicine from chemist | contraceptive pill | painkiller
allergy: allerg | allergic | allergies | reaction to | react to | rash from medicine | intoleran | sensitive to | allergic reaction | drug reaction | any reactions
diabetes: diabetes | diabetic | sugar | blood sugar | glucose | madhumeh | high sugar | sugar problem | sugar levels | metformin | glimepiride | gliclazide | glibenclamide | glycomet | sitagliptin | vildagliptin | insulin
hypertension: blood pressure | hypertension | high bp | pressure problem | pressure | amlodipine | telmisartan | losartan | atenolol | enalapril | ramipril | metoprolol
tuberculosis: tuberculosis | koch | kochs | tuberculosis medicine | anti tb | dots
asthma_history: asthma | asthmatic | dama
heart_disease: heart disease | heart attack | heart problem | angina | heart trouble | heart surgery | valve
surgery: surgery | operation | operated | surgical | procedure
hospital: hospital | admitted | admission | hospitali | ward | icu | hospitalised | hospitalized | inpatient | stayed in hospital
past: past | before | previous | previously | ever | earlier | history | in the past | long term | chronic | any illness | illnesses | medical problems | medical conditions | other conditions | health problems | known case | as a kid | as a child | in childhood | when you were young | when you were a child | when you were small | growing up | childhood | since childhood | known case of | since you were small | since small | since you were a child
food: food | diet | coffee | tea | chai | cups | cup of | eat | eating | ate | meal | meals | vegetarian | non veg | non vegetarian | outside food | street food | roadside | restaurant | hotel food | junk | spicy | oily | rice | roti | dal | fruit | vegetables | egg | meat | fish | chicken | salt | salty | namkeen | pickle | pickles | papad | processed food | packaged food | chips | fried | junk food | snacks | samosa | pakora | chaat | milk | curd | ghee | butter | oil | breakfast | lunch | dinner | skip meals | skipping meals | what do you eat | spicy food
insect: insect | insects | sandfly | sandflies | bug | bugs | biting insects | flies | fly bite | tick | ticks | mite | mites | chigger | spray | spraying | sprayed | insecticide | fogging | ddt | spray team
wound: wound | wounds | cut | scab | eschar | sore that | not healing | healing | ulcer on | boil | blister | injury
blood_exposure: tattoo | tattoos | needle | needles | blood transfusion | transfusion | razor | shared needles
fluid_intake: glasses of water | glass of water | drink water | drinking water at work | water intake | fluids | how much water | little water | how much water drink | much water drink | water drink | litres of water | liters of water
mosquito: mosquito | mosquitoes | mosquitos | standing water | water collecting | collected water | water collection | waterlogging | water logging | coolers | tyres | tires | puddle | puddles | breeding | net | nets | repellent | coil | stagnant water | cooler
animal: animal | animals | pets | dog | dogs | cat | cattle | cow | cows | goat | rat | rats | bird | birds | poultry | bitten | bush | grass | rodent | livestock | buffalo | pig | pigs | sheep
heat: heat | hot weather | summer | sun | garmi
stress: stress | stressed | tension | pressure at work | loan | loans | debt | money | school exam | board exam | semester exam | entrance exam | exam stress | exam pressure | worried about money | workload | work pressure | deadline | financial | family problems | fights | quarrel | tension at home | crop failure | drought
snore: snore | snoring | snores | snorer | stop breathing in sleep | stops breathing | stop breathing | sleep apnoea | sleep apnea | choke at night | choking at night
salt: salt | salty | namkeen | pickle | pickles | papad | processed food | packaged food | chips | iodised | iodized
light_sensitivity: photophobia | phonophobia | light | lights | bright light | sunlight | noise | noises | loud noise | sound | sounds | loud sound | sensitive to light | sensitive to noise | sensitive to sound
interval: in between | between attacks | between the attacks | between episodes | between the episodes | in between attacks | rest of the time | between fevers | between the fevers | fever free days | well in between | normal in between
orthopnoea: pillow | pillows | lie flat | lying flat | lie down flat | propped up | propping | sit up to breathe | sitting up | sleep sitting | orthopnoea | orthopnea | wake up breathless | waking up breathless | breathless at night | gasping at night | paroxysmal
urgency: urgency | urgent | urge | urges | sudden urge | strong urge | can not wait | could not wait | run to the toilet | rush to the toilet | rush to pass urine | can not hold | hold urine | hold it in | urgent need | leak urine | leaking urine | incontinence | dribbl | few drops | hesitancy | weak stream | poor stream
tremor: tremor | tremors | trembl | shaky | shaking hands | hands shake | hands shaking | hand shaking | hands tremble
swallow: swallow | swallowing | dysphagia | food sticking | food stuck | stuck in throat | get stuck | gets stuck | odynophagia
aura: aura | warning | warning sign | warning signs | flashing lights | flashing | flashes | zigzag | zig zag | lines in front | before the headache | sparkles
hair: hair | hair fall | hair loss | bald | baldness | dry hair
ear: ear | ears | hearing | deaf | deafness | ringing | tinnitus
mouth: mouth ulcer | mouth ulcers | ulcers in mouth | tongue | lips | teeth | tooth | mouth sore
smell: smell | smelly | foul | odour | odor | stink | stinking | bad smell | foul smell
seizure: seizure | seizures | fits | convuls | epilep | jerking
kidney: kidney | kidneys | kidney disease | renal | dialysis
stroke: stroke | brain attack
colour: colour | color | coloured | colored | what colour | what color | yellow | green | yellowish | greenish | rust | brown | clear | frothy | pink
inhaler: inhaler | inhalers | puffer | pump | rotacap | rotacaps | rotahaler | nebuliser | nebulizer | neb | nebulisation | asthalin | salbutamol
psychosis: hear voices | heard voices | hearing voices | seen things | seeing things | see things | hallucinat | others can not hear | others can not see | someone following | people talking about you
painkiller: painkiller | painkillers | pain killer | pain killers | nsaid | ibuprofen | diclofenac | aspirin | combiflam | brufen | saridon | meftal | pain tablet | pain tablets
thyroid: thyroid | goitre | goiter | thyroxine | eltroxin | thyronorm
pica: crave | craving | cravings | eat mud | eating mud | chalk | clay | raw rice | pica | eat ice | eating ice
iron: iron | iron tablet | iron tablets | red tablets | ifa | folic | haematinic | hematinic | iron injection
hiv: hiv | aids | hiv test | hiv status
cancer: cancer | cancers | tumour | tumor | malignan
regurgitation: regurgitat | sour taste | sour water | bitter taste | bitter water | bitter liquid | sour liquid | comes up into | coming up into | come up into | into the mouth | into your mouth | into mouth | up into the throat | into the throat | water brash | acid taste | acid water | acid coming up | food coming back | food comes back | khatta pani | khatta paani | khatti dakar | khatte dakar | sour burps | sour belching
rice_water: rice water | rice watery | like rice water | chawal ka pani | chawal ke pani | pani jaisa | paani jaisa
speech: speak | speaking | full sentence | full sentences | complete sentence | complete sentences | sentence | sentences | few words | finish a sentence | finish sentences | talk in sentences | while talking | when talking | talk properly | speech | slurred
cooking_smoke: chulha | chula | chulla | chullah | cooking smoke | smoke from cooking | smoke while cooking | smoke from the kitchen | smoke in the kitchen | kitchen smoke | smoky kitchen | wood fire | woodfire | firewood | fire wood | dung cake | dung cakes | cow dung | kerosene | biomass | smoke at home | smoke in the house | smoke in your house | smoke inside | angithi | sigri | cook on wood | cook with wood | cooking fuel | what fuel | lpg | gas stove | cylinder
anaemia: anaemia | anemia | low blood | low haemoglobin | low hemoglobin | low hb | less blood | blood is less | blood less | weak blood | blood weak | blood has become weak | pallor | pale
cue_when: when | what time | which day | what day | kab
cue_start: start | started | starting | begin | began | beginning | first | onset | commence | came on | come on | notice | noticed | shuru | first noticed | how did it start | how it started | before the | before that | before this started
cue_sudden: sudden | suddenly | gradual | gradually | slowly | abrupt | all of a sudden | over time
cue_howlong: how long | how many hours | how many minutes | how long does it last | how long does it stay | how long it stays | how long it lasts | lasts for | stays for | kitni der | each episode | each attack | one attack | how many days | how many weeks | how many months | how many years | since how | since when | duration | for how | how much time | since
cue_where: where | which part | which side | what part | which area | point | location | located | spread | spreads | radiat | move | moves | travel anywhere | go anywhere | shoot | which joints | which joint | left or right | one side or both | both sides | pinpoint | show me where | which part of
cue_kind: what kind | what type | what sort | kind of | type of | sort of | describe | feel like | feels like | character | nature | like what | sharp | dull | stabbing | crushing | throbbing | pressing | squeezing | colicky | gnawing | how does it feel | what is it like | what does it feel like | heaviness | band like | dull ache | burning pain | what kind
cue_severity: how bad | how severe | severity | scale | out of 10 | out of ten | 1 to 10 | 0 to 10 | one to ten | rate | rating | intense | intensity | how much pain | how strong | how painful | unbearable | score | mild | moderate | severe | worst pain
cue_timing: constant | constantly | worst | at its worst | worst time | peak | highest | how many times a day | times a day | times in a day | times since | come and go | comes and goes | all the time | pattern | how often | frequency | time of day | at night | in the morning | evening | continuous | on and off | intermittent | how many episodes | every day | daily | night time | particular time | rhythm | every other day | alternate day | alternate days | every second day | every third day | each day | once a week | twice a week | how frequently | how many times | how many episodes | how many attacks | frequency of | regular intervals | how often | what time of day | at what time
cue_worse: worse | worsen | worsens | aggravat | trigger | triggers | bring it on | brings it on | brings on | makes it bad | increase | increases | exacerbat | provok | set off | sets off | sets it off | precipitat | worse when | worse with | makes it worse
cue_better: better | improve | comfortable | comfort | more comfortable | position | posture | any position | which position | improves | reliev | relief | ease | eases | easier | help | helps | helped | settle | settles | calm down | reduce | reduces | go away | goes away | subside | tried | what do you do for it | what do you do when | what do you do to | what helps | anything helps | makes it better | take for it | get relief | feel better
cue_else: anything else | other | others | else | apart from | besides | along with | associated | any more | further | another | additional | together with | in addition
cue_name: name | called | call you | who are you | introduce yourself
cue_age: age | how old | years old | born | birthday | umar | umr
cue_think: what do you think | you think | any idea | your idea | ideas | why do you think | what might | what could | reason | cause | causing | caused | behind this | theory | believe | suspect | guess | what is causing | what you feel is the reason | what is the reason
cue_worry: worry | worried | worries | worrying | concern | concerned | concerns | afraid | scared | fear | fears | frighten | anxious | nervous | troubling you | bothering you
cue_expect: expect | expecting | expectation | hope | hoping | want from | like us to | would you like | wish | looking for | want us | hoping for | what do you want | outcome | help you today | can we do | expect from us | from us
cue_greet: hello | hi | hey | hii | good morning | good afternoon | good evening | namaste | namaskar | namaskaram | vanakkam | salaam | greetings | welcome | pleased to meet | nice to meet
cue_intro: my name is | i am doctor | i am dr | i am a doctor | intern | house surgeon | house officer | resident | medical student | junior doctor | student doctor | final year | postgraduate | pg | mbbs
cue_thanks: thank | thanks | thank you | thankyou | dhanyavad | dhanyawad | shukriya | bye | goodbye | take care | that is all | that is it | see you | done for today | we are done | all for now | get well
cue_empathy: sorry | so sorry | must be | i understand | understandable | that sounds | it sounds | sounds hard | sounds difficult | sounds painful | sounds terrible | sounds awful | sounds tough | difficult | hard for you | tough | frightening | scary | worrying for you | that is a lot | i can imagine | i can see | i hear you | not easy | feel for you | do not worry | rest assured | we are here | here to help | we will help | you are safe | natural to feel
cue_summary: summar | recap | let me see if | let me check if i have | so you are saying | to sum up | correct me | is that right | is that correct | did i get | so basically | so far you | you have told me
cue_plan: i will | we will | i am going to | we are going to | going to | plan | admit | refer | prescribe | start you on | give you | advise | recommend | suggest | treatment plan | next step | i think you have | you might have | it looks like | it could be
cue_examine: examin | examination | exam | check | checking | listen | listen to | auscultat | look at | look in | look into | feel your | palpat | press | percuss | vitals | vital signs | pulse | measure | stethoscope | torch | inspect | see your | tap
cue_test: test | tests | testing | investigation | investigations | investigate | blood test | blood work | report | reports | result | results | scan | x ray | xray | ultrasound | sonography | usg | order | send for | send you for | lab | sample | swab | culture | smear | biopsy | screening | get done | do a | cbc | blood count | haemogram | hemogram | ecg | ekg | lft | lfts | rft | kft | ns1 | hba1c | troponin | trop | echo | 2d echo | echocardiography | endoscopy | ogd | ct | ct scan | mri | widal | esr | crp | tsh | usg | abg | upt | cxr | chest x ray | peak flow | pefr | spirometry | sputum test | cbnaat | rk39 | elisa | serology | lipid profile | urine routine | dipstick | pregnancy test | phq
cue_explain: because | the reason i ask | i am asking because | i ask because | it helps us | it is important | helps me understand | confidential | private | stays between us | everyone | routine question | ask everyone
`;
