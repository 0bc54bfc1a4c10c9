/**
 * The classifier's word lists, kept apart from the logic so that they can be read (and extended)
 * on their own. Every pattern runs on text that `normalizeUtterance` prepared: lower case, straight
 * quotes, contractions written out ("what's" -> "what is", "you've" -> "you have").
 */
import type { HistoryItemId } from "./types.js";

/** The topics a student's inquiry can be about; `symptom_check` is resolved against the case later. */
export type InquiryTopic = Exclude<HistoryItemId, "pertinent_negatives"> | "symptom_check";

/** Questions about why the patient came. */
export const PRESENTING_COMPLAINT =
  /\b(what (brings|brought|has brought) you|what (can|may|could) i (do for you|help( you)? with)|how (can|may|could) i (help|assist)|what (is|seems to be|appears to be) (the )?(problem|matter|trouble|issue|complaint)|what (is|has been|was) wrong|what (has been|is|was) (going on|happening|bothering you|troubling you)|what happened|why (are you|have you come|did you come|you came|you have come)( here| in| today| to (see|the))|reason for (your |the |today's )?(visit|coming)|what made you (come|decide)|chief complaint|(main|primary) (problem|complaint)|tell me (a bit |a little |more |all )?(about )?(what|why|your (problem|symptoms|complaint|illness|trouble))|how (are|have) you (been )?feeling( today)?\b|what (symptoms|problems?) (do|are|have) you|what (are|have) you (been )?(experiencing|noticing|feeling)|what (is|has been) (the|your) (main )?(concern|problem|issue) (today|that brought)|kya (hua|taklif|takleef|problem)|kya pareshani)/;

/** Sentences that are greetings, consent, identity checks or pleasantries, not history taking. */
export const PRELIMINARY =
  /\b(how are you( doing)?( today)?\s*\??$|can you (confirm|tell me|give me) your (full )?(name|age|date of birth)|what is your (full )?name|may i (have|know|confirm) your (name|age)|how old are you|your date of birth|(is it|would it be) (ok|okay|alright|all right|fine)( with you)?( if)|do you mind if|may i (ask|take)|can i (ask|take) (you )?(a few|some)|is now a good time|can you hear me|shall we (start|begin)|are you comfortable|please (have a seat|sit)|hello|good (morning|afternoon|evening))/;

/** One pattern per history topic. */
export const TOPIC_PATTERNS: readonly (readonly [InquiryTopic, RegExp])[] = [
  ["presenting_complaint", PRESENTING_COMPLAINT],
  [
    "onset",
    /\b(when (did|does|was|do|had|have) .{0,40}\b(start|begin|began|first|come on|came on|appear|notice|happen|develop|get)\w*|since when|how did (it|this|that|the \w+|they|all this|your \w+) (start|begin|come on|develop|happen)|(start|begin|came on|come on)\w* (suddenly|gradually|all of a sudden|slowly|quickly|over)|sudden(ly)? or (gradual|slow)|(gradual|slow)(ly)? or sudden|onset|first (noticed?|start|began|happen|appear)|what were you doing when|when was the (first|last) time you (were|felt) (well|healthy|normal|fine)|how long ago|kab se|kab (shuru|start))/,
  ],
  [
    "duration",
    /\b(how long|how many (days|weeks|months|years|hours)|for how (long|many)|since when|duration|how long ago|kab se|kitne (din|dino|hafte)|when did .{0,40}\b(start|begin|began|come on|came on)|(been )?going on for)/,
  ],
  [
    "location",
    /\b(where\b(?!.*\b(live|work|stay|from|travel|been|go to|went|buy|got)\b).{0,30}\b(pain|hurt|ache|aching|discomfort|feel it|sore|it|located)|which (part|side|area|region)|point to|show me where|location|whereabouts|does (it|the pain|the ache) (spread|radiate|go|move|travel|shoot)|(spread|radiat|shoot|travel)\w* (anywhere|to|into|elsewhere|down|up)|kahan)/,
  ],
  [
    "character",
    /\b(what (kind|type|sort) of (pain|ache|headache|discomfort|feeling|cough|fever|rash|sputum|phlegm|stool|diarrh\w+)|describe (the|your|it|this|that|how)\b(?!.*\b(problem|what happened)\b)|what (does|did|is|was) (it|the pain|the ache|the headache) (feel|like)|feel like|(is|was) (it|the pain|the ache|the headache)\b.{0,25}\b(sharp|dull|burning|stabbing|crushing|throbbing|squeezing|tight|pressing|aching|cramp\w*|colicky|pounding|gnawing)|(sharp|dull|burning|stabbing|crushing|throbbing|squeezing|pressing|aching|gnawing) or (sharp|dull|burning|stabbing|crushing|throbbing|squeezing|pressing|aching|gnawing)|(sharp|dull|stabbing|crushing|throbbing|squeezing) pain|character|nature of|what colou?r|dry or (wet|productive)|(wet|productive) or dry|bring(ing)? (anything|something) up|bring(ing)? up (phlegm|sputum|mucus|anything|something|blood)|\bdry\b.{0,25}\b(phlegm|wet|productive|sputum|mucus))/,
  ],
  [
    "severity",
    /\b(how (bad|severe|strong|intense|painful|serious|high)|how much (does it|is it|did it) (hurt|bother|trouble)|scale|out of (10|ten)|severity|rate (the|your|it|this|that)|(mild|moderate|severe)\b.{0,30}\?|worst (pain|it has been|ever)|(stop|stops|stopped|stopping|keep|keeps|kept|prevent\w*) you (from )?(doing|working|sleeping|going|eating|walking)|affect\w* your (daily|work|sleep|life|activities|day|ability)|able to (work|walk|sleep|eat|do your)|how (is|has) (it|this) (affect|impact)\w*|impact on your)/,
  ],
  [
    "timing",
    /\b(constant|come and go|comes and goes|came and went|all the time|on and off|off and on|time of (the )?day|at night|(in the|during the) (morning|evening|night|day)|pattern|timing|how often|how frequent|frequency|continuous|intermittent|every (day|night)|each (day|night)|any particular time|episodes?|periodic|(is|was) (it|the \w+) there (all|the whole)|does it go away|(getting|got) (better|worse) or|changed over|since it (started|began))/,
  ],
  [
    "aggravating_relieving",
    /\b((make|makes|made|making) (it|the \w+|them|things|you|your \w+)( feel)? (worse|better|bad|easier)|worse|better|aggravat|reliev|relief|eas(e|es|ed|ing)\b|trigger|bring(s)? (it|them) on|(anything|something) (help|helps|helped|that helps)|what (helps|helped|has helped)|does (anything|it) (help|improve)|does (the |your |taking )?\w+ (help|ease|relieve)\b|tried anything|what have you tried|home remed|brings? (it|the \w+) down|improv)/,
  ],
  [
    "associated_symptoms",
    /\b((any|other|more|further|additional|associated|new) (other )?(symptoms?|problems?|complaints?|changes|issues)|anything else (you have|that you have|you) ?(noticed|experienced|felt|going on)|anything else (going on|bothering|troubling|wrong|unusual|different)|noticed anything else|anything (unusual|different) (about|with) your (body|health)|associated|along with (this|it|that|the \w+)|apart from (this|that|the \w+)|besides (this|that|the \w+)|accompan|other than (this|that|the \w+)|with (it|this|that|the \w+),? (do|did|have|has) you)/,
  ],
  [
    "past_history",
    /\b(past|previous(ly)?|ever (had|been|suffered|been diagnosed|been told|been treated|needed)|medical (history|problems?|conditions?|illness\w*|issues)|health (problems?|conditions?|issues)|other (illness\w*|conditions?|diseases?)|(any|other|serious|major) (illness\w*|conditions?|diseases?)|(been )?admitted|hospital\w*|operations?|surger(y|ies)|chronic|long[- ]term (condition|illness|problem|disease)\w*|diabet\w*|sugar (problem|disease)|blood pressure|hypertension|asthma|tuberculosis|\btb\b|heart (disease|problem|condition)|similar (episode|problem|illness|thing|symptoms)|(happened|had this|like this|this) before|before (this|now)|any conditions)\b/,
  ],
  [
    "medications",
    /\b(medic(ine|ation)s?|tablets?|pills?|drugs?|(taking|take|taken|took|using|use) (any|anything)\b|(any|on|under|getting) treatment|prescri\w*|injections?|paracetamol|antibiotics?|over[- ]the[- ]counter|supplements?|herbal|ayurved\w*|homeopath\w*|inhalers?|insulin|dawai|dawa\b|painkillers?)/,
  ],
  [
    "allergies",
    /\b(allerg\w*|react\w* (to|from|after) (any|medic|drug|food|tablet)|(any|bad) reactions?|rash after|intoleran\w*)/,
  ],
  [
    "family_history",
    /\b(famil(y|ies)|parents?|father|mother|dad|mum|mom|siblings?|brothers?|sisters?|relatives?|runs in|(anyone|anybody|someone|somebody) (else )?(at home|in your home|in the house|in your house|around you|in your (village|area|lane|street|household))|grand(father|mother|parents?)|uncles?|aunts?|blood relatives|inherit\w*|genetic)\b/,
  ],
  [
    "tobacco",
    /\b(smok\w*|tobacco|cigar\w*|bidis?|beedis?|gutk?ha|khaini|paan|pan masala|chew\w*|nicotine|vap(e|ing)|hookah|hukka)/,
  ],
  [
    "alcohol",
    /\b(alcohol\w*|(do|did) you (ever )?drink\b(?! (enough|water|fluids|milk|tea|coffee|juice))|drink(s|ing)? (any |much |a lot of )?(alcohol|beer|wine|spirits|daru|liquor|toddy)|how much (do|did) you drink|beer|wine|whisk(e)?y|daru|liquor|toddy|arrack|units|drinker|shar(a)?ab|drinking habits?)\b/,
  ],
  [
    "occupation",
    /\b(your (work|job|occupation|profession|business)|at work|(do|did) you (work|study)|where do you (work|study)|what (work|job)|kind of (work|job)|type of (work|job)|occupation|for a living|profession|employ\w*|what do you do\b(?! (when|if|for (it|the|your|pain|fever))|about)|are you (working|employed|studying)|working (as|at|in)|line of work)/,
  ],
  [
    "living_situation",
    /\b(live with|live alone|living (situation|arrangements?|with|alone|conditions)|who (else )?(lives|stays|is) (with you|at home)|at home with|where do you (live|stay)|your (home|house|household)|who do you (live|stay)|anyone at home|(support|help) at home|housing|hostel|stay with|live in (a|an|the)\b|(living|home) (conditions|environment)|look(s|ing)? after you|anyone (to )?(help|care for) you)/,
  ],
  [
    "ideas",
    /\b(what do you think (is |might be |could be |may be |has been )?(causing|caused|going on|wrong|happening|the (cause|reason|problem))|what do you think (it|this|that) (is|might|could|may|was)|(any|your) (own )?(ideas?|thoughts?|theories|theory) (about|on|of|as to|what)|do you have (any )?(idea|thoughts?|theory) (about |on |of |as to )?(what|why)|why do you think|what (are|were) you thinking (it|this)|have you (thought|wondered) about what|what have you (read|heard) about|what do you understand (about|by)|what might be causing|what could be causing|do you know what (is|might be) (causing|wrong)|what (is|was) your (idea|understanding|thinking))/,
  ],
  [
    "concerns",
    /\b(worr\w*|concern\w*|afraid|scared|fear\w*|frighten\w*|anxious|nervous|bother(s|ing)? you (the )?most|upset\w*|on your mind)/,
  ],
  [
    "expectations",
    /\b(expect\w*|hoping (for|to|that|we|i|you)|were you hoping|(would|do) you (like|want) (me|us|from|to (happen|get|do|have|know))|want (from|me to|us to|out of)|how (would you like|do you want) (me|us) to|anything (specific|particular|in particular) you (want|would like)|what are you looking for|what you would like to get out|what would be (most )?helpful|(like|want) (from|out of) (today|this visit|this consultation)|what (can|could) we do for you)/,
  ],
];

/** Symptom words a student asks about one by one ("Any vomiting?"). */
export const SYMPTOM_WORDS =
  /\b(fevers?|temperature|feverish|chills?|shiver\w*|rigou?rs?|sweat\w*|cough\w*|sputum|phlegm|mucus|blood\w*|bleed\w*|breath\w*|wheez\w*|chest|headaches?|nause\w*|vomit\w*|throw(ing)? up|diarrh\w*|loose (stools?|motions?)|constipat\w*|stools?|motions?|bowels?|rash\w*|spots?|itch\w*|weight|appetite|hungry|urin\w*|pee\w*|passing water|burning|thirst\w*|joints?|swell\w*|swollen|tired\w*|fatigue\w*|weak\w*|energy|dizz\w*|faint\w*|black ?outs?|giddy|palpitations?|heart (racing|pounding)|yellow\w*|jaundice|vision|blurr\w*|eyes?|stiff\w*|neck|confus\w*|drows\w*|sleepy|seizures?|fits?|convulsion\w*|numb\w*|tingl\w*|pain\w*|aches?|aching|sore throat|runny nose|cold|ears?|lumps?|bruis\w*|discharge|periods?|menstru\w*|cramps?|stomach|belly|tummy|abdomen|abdominal|back|muscles?|body ache|sleep\w*|mood|sneez\w*|hoarse\w*|swallow\w*|heartburn|acid\w*|bloat\w*|gas|glands?|gums?|nose ?bleeds?|nose|dark|pale|mouth ulcers?|ulcers?|hair|skin|legs?|feet|ankles?|hands?|chills)\b/;

/** Question forms that ask about a specific symptom. */
export const SYMPTOM_QUESTION =
  /\b(how (is|are|has been|have been) your|do you (have|get|feel|notice|suffer)|did you (have|get|feel|notice)|have you (had|noticed|got|felt|been|experienced|seen|suffered|lost|gained)|are you (having|getting|feeling|experiencing|coughing|vomiting|bleeding|losing|sweating)|any\b|is there|was there|has there been|does it|noticed|experienc\w*|suffer\w*|feel(ing)?)\b/;

/** Words that open a question. */
export const QUESTION_START =
  /^(and |so |okay,? |ok,? |alright,? |right,? |now,? |also,? |then,? |but |well,? )*(what|when|where|why|who|whom|which|how|do|does|did|is|are|was|were|have|has|had|can|could|would|will|should|shall|may|any|anything|is there|are there)\b/;

/** Requests phrased as statements that are still inquiries ("Tell me about ..."). */
export const REQUEST =
  /^(and |so |okay,? |ok,? |now,? |alright,? |please,? )*(tell me|describe|explain|talk me through|walk me through|let me know|show me|point to|rate|i (would|'d) (like|love|want) to (know|ask|hear)|i want to (know|ask|hear)|i was wondering|i need to (know|ask)|i am wondering|could you tell|can you tell)\b/;

/** Open question forms (Calgary-Cambridge: the patient can answer in their own words). */
export const OPEN_FORM =
  /^(and |so |okay,? |ok,? |alright,? |right,? |now,? |please,? )*((can|could|would|will) you (please )?(tell|describe|explain|talk|walk)|tell me|describe|explain|talk me through|walk me through|what(?! (time|day|age|colou?r|is your name|year|date))|how(?! (long|many|much|often|old|far|bad|severe|high))|why|in what way)\b/;

/** Unexplained medical terms, each with lay words that count as its explanation. */
export const JARGON: readonly { term: RegExp; lay: RegExp }[] = [
  { term: /\bdyspn(o)?ea\b|\bsob\b/, lay: /\b(breath|breathless|breathing)\b/ },
  { term: /\borthopn(o)?ea\b/, lay: /\b(lying (flat|down)|pillows?)\b/ },
  { term: /\bparoxysmal nocturnal\b|\bpnd\b/, lay: /\b(wake|waking|woken).{0,20}(breath|night)\b/ },
  { term: /\bha?emat(emesis|uria|ochezia)\b/, lay: /\bblood\b/ },
  { term: /\bha?emoptysis\b/, lay: /\b(cough\w* (up )?blood|blood)\b/ },
  { term: /\bmala?ena\b/, lay: /\b(black|tarry|dark) (stools?|motions?|poo)\b/ },
  { term: /\bmyalgia\b/, lay: /\bmuscle\b/ },
  { term: /\barthralgia\b/, lay: /\bjoint\b/ },
  { term: /\bpyrexia\b|\bfebrile\b/, lay: /\b(fever|temperature)\b/ },
  { term: /\bemesis\b/, lay: /\b(vomit|throw\w* up|sick)\b/ },
  { term: /\bsyncope\b|\bpresyncope\b/, lay: /\b(faint|pass(ed)? out|black ?out)\b/ },
  { term: /\bdysuria\b/, lay: /\b(burn|pain|sting)\w*.{0,20}(urin|pee|pass water)/ },
  { term: /\bpolyuria\b|\bnocturia\b|\bmicturition\b/, lay: /\b(urin|pee|pass\w* water|toilet)/ },
  { term: /\bpruritus\b/, lay: /\bitch/ },
  { term: /\berythema(tous)?\b/, lay: /\b(red|redness)\b/ },
  { term: /\bphotophobia\b/, lay: /\b(light|bright)\b/ },
  { term: /\b(tachy|brady)cardi\w*\b/, lay: /\b(heart|pulse)\b/ },
  { term: /\bdiaphoresis\b/, lay: /\bsweat/ },
  { term: /\bclaudication\b/, lay: /\b(walk|leg|calf)/ },
  { term: /\bepistaxis\b/, lay: /\bnose ?bleed|bleed\w* from (your |the )?nose/ },
  { term: /\bicterus\b/, lay: /\byellow/ },
  { term: /\brhinorrh(o)?ea\b|\bcoryza\b/, lay: /\b(runny|blocked) nose\b/ },
  { term: /\bdysphagia\b|\bodynophagia\b/, lay: /\bswallow/ },
  { term: /\blymphadenopathy\b/, lay: /\b(glands?|lumps?|swelling)\b/ },
  { term: /\b(hepato|spleno)megaly\b/, lay: /\b(liver|spleen|enlarged)\b/ },
  { term: /\bradiat(e|es|ing|ion)\b/, lay: /\b(spread|go|move|travel|shoot)\w*\b/ },
  { term: /\bexertional\b|\bon exertion\b/, lay: /\b(walk|climb|stairs|exercise|effort|activity)/ },
  { term: /\bpost-?prandial\b/, lay: /\b(after|eating|meals?|food)\b/ },
  { term: /\ba?etiology\b|\bidiopathic\b/, lay: /\b(cause|reason)\b/ },
  { term: /\bcomorbidit\w*\b/, lay: /\b(other (illness|condition|disease|health))/ },
  {
    term: /\bsputum\b|\bexpectorat\w*\b|\bproductive cough\b/,
    lay: /\b(phlegm|mucus|bring\w* (anything |something )?up|spit)\b/,
  },
  { term: /\btenesmus\b/, lay: /\b(still need|incomplete|emptied)\b/ },
  { term: /\bsteatorrh(o)?ea\b/, lay: /\b(greasy|oily|fatty|float)\b/ },
  { term: /\bdyspepsia\b/, lay: /\b(indigestion|acid|heartburn)\b/ },
  { term: /\bparaesthesi\w*|\bparesthesi\w*/, lay: /\b(tingl|pins and needles|numb)/ },
  { term: /\brigou?rs\b/, lay: /\b(shiver|shak|chill)/ },
  { term: /\bmalaise\b/, lay: /\b(unwell|tired|run down)\b/ },
  { term: /\bpetechia\w*\b|\becchymos\w*\b|\bpurpura\b/, lay: /\b(spots?|bruis|marks?)\b/ },
  { term: /\bmenorrhagia\b|\bdysmenorrh(o)?ea\b|\bamenorrh(o)?ea\b/, lay: /\bperiods?\b/ },
  { term: /\blmp\b/, lay: /\b(last|period)\b/ },
  { term: /\bcyanos\w*\b/, lay: /\b(blue|bluish)\b/ },
  { term: /\b(o)?edema\b/, lay: /\b(swell|swollen|puffy)/ },
  { term: /\bascites\b/, lay: /\b(belly|abdomen|tummy|stomach)\b.{0,20}\b(swell|fluid)/ },
  {
    term: /\b(thrombocytopenia|leuco?penia|an(a)?emia|hyper(glyc|kal|natr)a?emia)\b/,
    lay: /\b(low|high|blood|count)\b/,
  },
  {
    term: /\b(nsaids?|ppis?|ace inhibitors?|otc)\b/,
    lay: /\b(painkillers?|medicines?|tablets?|over the counter|like)\b/,
  },
  { term: /\bdifferential(s| diagnosis)?\b/, lay: /\b(other possib|could also be)\b/ },
  { term: /\bprognosis\b/, lay: /\b(outlook|expect|recover)/ },
  { term: /\bbenign\b|\bmalignan\w*\b/, lay: /\b(harmless|not cancer|cancer)\b/ },
  { term: /\bhx\b|\bsx\b|\bc\/o\b/, lay: /$^/ },
];

/** Diagnosis-like words for recognising a stated (wrong) impression when no listed disease matches. */
export const GENERIC_DISEASE =
  /\b(?!(diagnosis|prognosis|emphasis|thesis)\b)(\w+itis|\w+osis|\w+(a)?emia|\w+oma|infections?|influenza|flu|viral fever|virus|viral|bacterial|cancer|tumou?r|syndrome|disease|disorder|ulcers?|heart attack|stroke|migraine|pneumonia|malaria|typhoid|diabetes|hypertension|asthma|tb|tuberculosis|covid|common cold|food poisoning|gastro\w*|chikungunya|jaundice)\b/;
