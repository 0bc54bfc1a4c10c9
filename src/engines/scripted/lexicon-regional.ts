/**
 * Common clinic words of Indian languages other than Hindi, and Hindi words the main table lacks,
 * in the same `from, from -> to` form as {@link TRANSLATIONS} (lexicon-data.ts). Students in rural
 * India slip the patient's own word for the complaint into an English or Hinglish question ("jwara
 * yavaga start aaytu?", "matha byatha kon dike?"), so a small lexicon of the words for the body's
 * common complaints and the question words around them goes a long way. Grouped by meaning, not
 * by language: one line names every language's word for one thing. Words that are also common
 * English or Hindi words with another meaning are left out or given only in a phrase ("pani" is
 * fever in Malayalam but water in Hindi; "pot" is the stomach in Marathi only before "dukhtay").
 * The main table wins where both have a form.
 */
export const REGIONAL_TRANSLATIONS = `
jwara, jwaram, jvaram, jvara, jwaro, jworo, kaichal, kaaichal, kaychal, jor ache, jwor -> fever
byatha, betha, batha, vali, valikkudhu, noppi, novu, vedana, dukhne, dukhtay, dukhte, dukhta, dukhat, dukhyo, dukheko, dukhcha, dard hota, dard hoti, dard karta -> pain
matha byatha, mathabyatha, matha dhara, tauko dukhyo, tauko dukheko, thalai vali, thala noppi, tale novu -> headache
matha, tauko, thalai, thala, tale -> head
pot dukhtay, pot dukhte, pot dukhat -> stomach pain
pot kuthe -> where stomach
pet byatha, pet betha, vayiru vali, kadupu noppi, hotte novu -> stomach pain
vayiru, kadupu, hotte -> stomach
naabhi, nabhi, naabi, nabi, dhoondi, dhodi, dhuni -> navel
chehra, chehre, chehera, mukh, mukha, mooh par -> face
haddi, haddiyan, haddiyon, haad -> bone
todne, todna, todta, tootna, toot -> breaking
kashi, kaashi, khokla, khokhla, khoki, irumal, irumbal, daggu, kemmu, chuma -> cough
bomi, vomi, vaanthi, vanthi, vanti, vanthulu, baanta, chhardi, chardi, okkari -> vomiting
shash kosto, shwash kosto, shaskosto, swas kashta, dam lagto, dam lagte, dum lagta, moochu vaangudhu, moochu vangudhu, aayasam, ayasam, swasa kastam, sas phulcha, sas fulcha -> breathlessness
shash, shwash, swas, swasa, moochu, shwaas, shvaas -> breath
prosrab, prosab, prasrab, mutra, moothram, mootram, mutram, lagvi, pisab, pisaab -> urine
paikhana, paikhaana, paayakhana, pykhana, sandas, sandaas, malam, disa -> stool
ghum hoy, ghum hocche, ghum hochhe, jhop, zop, thookam, thukkam, nidra, nindra, nidde, urakkam -> sleep
khide, khidhe, khida, bhok, pasi, aakali, akali, hasivu, vishappu, vishapp -> appetite
ojon, ozon, edai, baruvu, bhaar -> weight
khana bhaata, khana bhata, khana accha lagta, khana achha lagta, khane ka mann, khane ka man, khaane ka mann -> appetite
raksi, rakshi, tharra, TASMAC, tasmac, jaand -> alcohol
aao baitho, aao baitho ji, aaiye baithiye, aaiye baitho, aao beta baitho -> 
ki hoya, ki hoyeche, ki hoyechhe, ki hoise, ki holo, enna aachu, enna achu, emaindi, em aindi, enaytu, enaaytu, ke bhayo, k bhayo, kay zala, kaay zhala, kay jhala -> what happened
kwai, koai, tamul, tamol, supari, gua, churot, chorot -> tobacco
yavaga, yaavaga, eppo, eppodhu, eppudu, eppol, kobe, kebha, kevha, kadhi, kahile, kaile -> when
kobe theke, kebha pasun, kevhapasun, kevha pasun, kadhi pasun, kadhipasun, eppo irundhu, eppudu nundi, kahile dekhi, kaile dekhi -> since when
evlo naala, evlo naal, ethana naal, ethana naala, enni rojulu, enni rojula, koto din, kotodin, kiti divas, kati din, kati dinn -> how many days
evlo, evvalavu, enni, koto, kiti, kati -> how much
kuthe, kothay, kothai, enga, engey, ekkada, elli, yelli, evide, kaha -> where
kon dike, kon dik, kon side, konya bajula, kon bajula, endha pakkam, ye vaipu -> which side
kemon, kasa, kashi ahe, eppadi, ela -> how
kay, kaay, enna, emiti, enu, ke bhayo -> what
kalji, kalaji, chinta kore, bhoy, bhay, bhoi, bayam, bhayam, bhaya -> worry
vatatey, vatte, vatat, lagche, lagtese -> feel
tumhala, tumhi, tumi, apni, neenga, meeru, nivu, tapai, timi -> you
veetla, veetil, veettil, intlo, manege, barite, barir, gharat, gharma -> at home
yaaru yaaru, yaaru, evaru -> who
yaarukaavadhu, yaarukkavadhu, evarikaina, evarikaaina, kunai, kasaiko -> anyone
irukku, irukka, irukkaa, irukaanga, irukkanga, undi, unda, undaa, undo, unto, aahe, aahe ka, ahe ka, chha, chhan, hunchha, cha -> 
khanu, khaanu, khayo, khanchhau -> take
aai la, aaila, aaichi, aaicha, aaila pan -> mother
dinn, divas, rojulu, roju -> days
saal, saalon, varsham, bochor, bachhar, barsa -> years
pichle, pichhle, pichla, pichhla, pichhli, pichli -> last
aisa, aise, aisi, ayesa -> like this
pehle bhi, pahle bhi, pehle kabhi, pahle kabhi -> ever before
har sardi, har thand, har jaade, har saal sardi -> every winter
sardiyon mein, thand mein, jaade mein -> in winter
rang, rung, rangg -> colour
monthly injection, monthly injections, monthly sui, monthly shot, har mahine injection, har mahine sui -> injection every month
kammi, kami, kamti -> less
raathri, rathri, raatri, ratri, raati, rati -> night
thand zyada lagti, thand jyada lagti, zyada thand lagti, jyada thand lagti, thand zyada lagta, zyada thand lagta -> feel the cold more
thand lagke, thand lag ke, thandi lag ke, thandi lagke, thand lagkar, thand lag kar -> shivering
pad gaye, pad gaya, pad gayi, pad gayee, ho gaye, ho gaya, ho gayi -> became
shift hua, shift hui, shift ho gaya, shift ho gayi, shift hota, shift hoti, khisak, khiska, khiski, khisak gaya -> moves
kitne der, kitne der se, kitni der se, kitna time se, kitne time se -> how long
pehla, pahla, pehli, pahli, pehle wala, pehli baar, pahli baar -> first
wala dard, wala pain, type dard, type pain, type ka dard, jaisa dard, jaisa pain, jaise dard, type ki pain -> kind of pain
paani kitna, pani kitna, kitna paani, kitna pani, kitne glass paani, kitne glass pani -> how much water
paani peeti, paani peete, pani peeti, pani peete, paani pite, pani pite -> drink water
ka injection, ki injection, ka teeka, ka tika, ki sui, ka sui, ka tikka -> vaccine
wt, wgt -> weight
dhadakta, dhadakti, dhadakna, dhadak, dhadke, dhadakte -> heartbeat
ulta seedha, ulta sidha, ulti seedhi, upar neeche -> irregular
zor zor se, jor jor se -> hard
suiyan, suiya, suiyaan -> injections
pantop, pantocid, pan 40, pan d, omez, rantac, aciloc, razo, rabeprazole, pantoprazole, omeprazole, ranitidine, digene, gelusil, eno -> acid medicine
comes when, come when, comes on when, starts when, happens when, more when, is more when, more with, more on, badhta hai jab, badhti hai jab, zyada hota hai jab -> worse when
not worth living, life not worth living, life is not worth living, no point living, no point in living, jeene ka mann nahi, jeene ki ichha nahi -> life not worth
`;
