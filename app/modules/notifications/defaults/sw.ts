import type { LanguageDefaults } from "./types";

/** Kiswahili: the shipped wording for Swahili-speaking customers (Kenya, Tanzania). */
const SI_WEWE = "Ikiwa si wewe, badilisha nenosiri lako sasa hivi na uwasiliane na wakala: huenda mtu mwingine ana nenosiri lako.";
const MASWALI = "Ukiwa na maswali, jibu barua pepe hii au wasiliana na wakala.";

export const sw: LanguageDefaults = {
  phone_code: {
    sms: {
      body: "{{code}} ni nambari yako ya uthibitisho ya {{tenantName}}. Itaisha baada ya dakika {{minutes}}. Usiishiriki na mtu yeyote.",
    },
  },
  payment_received: {
    email: {
      subject: "Risiti {{receiptNumber}} kutoka {{tenantName}}",
      body: "Habari {{name}},\n\nTumepokea {{amount}} kwa ajili ya {{description}}. Risiti yako imeambatishwa.\n\n[Angalia malipo yangu]({{link}})",
    },
    sms: { body: "{{tenantName}}: tumepokea {{amount}} kwa ajili ya {{description}}. Risiti {{receiptNumber}}." },
    in_app: { subject: "Malipo yamepokelewa", body: "{{amount}} kwa ajili ya {{description}}. Risiti {{receiptNumber}}." },
  },

  welcome: {
    email: {
      subject: "Karibu {{tenantName}}",
      body: "Habari {{name}},\n\nAkaunti yako ya {{tenantName}} iko tayari. Ukiitumia unaweza kununua bima, kulipa, na kufuatilia sera na madai yako.\n\n[Fungua akaunti yangu]({{link}})",
    },
    in_app: { subject: "Karibu {{tenantName}}", body: "Akaunti yako iko tayari: nunua bima, lipa na ufuatilie sera na madai yako hapa." },
  },
  verify_email: {
    email: {
      subject: "Thibitisha barua pepe yako kwa {{tenantName}}",
      body: "Habari {{name}},\n\nTafadhali thibitisha anwani yako ya barua pepe ili kukamilisha kufungua akaunti yako ya {{tenantName}}.\n\n[Thibitisha barua pepe yangu]({{link}})\n\nKiungo hiki kinafanya kazi kwa saa 48. Ikiwa hukufungua akaunti, puuza barua pepe hii.",
    },
  },
  reset_password: {
    email: {
      subject: "Weka upya nenosiri lako la {{tenantName}}",
      body: "Habari {{name}},\n\nTumepokea ombi la kuweka upya nenosiri lako. Chagua jipya kwa kutumia kiungo hiki.\n\n[Chagua nenosiri jipya]({{link}})\n\nKiungo hiki kinafanya kazi mara moja tu, kwa dakika 60. Ikiwa hukuliomba, nenosiri lako halijabadilika na unaweza kupuuza barua pepe hii.",
    },
  },
  account_exists: {
    email: {
      subject: "Mtu amejaribu kufungua akaunti ya {{tenantName}} kwa barua pepe yako",
      body: "Habari {{name}},\n\nMtu fulani, labda wewe, amejaribu kufungua akaunti mpya ya {{tenantName}} kwa anwani hii ya barua pepe. Tayari una akaunti, kwa hivyo hakuna akaunti mpya iliyofunguliwa.\n\n[Ingia]({{signInLink}})\n\nUmesahau nenosiri lako? Chagua jipya hapa:\n\n[Weka upya nenosiri langu]({{resetLink}})\n\nIkiwa si wewe, puuza barua pepe hii: hakuna kilichobadilika kwenye akaunti yako.",
    },
  },
  invite: {
    email: {
      subject: "Umealikwa kusimamia {{tenantName}} kwenye Covera",
      body: "Habari {{name}},\n\nUmeongezwa kama {{role}} wa {{tenantName}}. Weka nenosiri lako ili uingie.\n\n[Weka nenosiri langu]({{link}})\n\nMwaliko huu unafanya kazi mara moja tu, kwa siku 7.",
    },
  },
  two_factor_on: {
    email: {
      subject: "Uthibitishaji wa hatua mbili umewashwa kwenye akaunti yako ya {{tenantName}}",
      body: `Habari {{name}},\n\nUthibitishaji wa hatua mbili umewashwa kwenye akaunti yako: kuanzia sasa, baada ya nenosiri utaombwa nambari kutoka kwenye programu yako ya uthibitishaji.\n\nHifadhi nambari zako za dharura mahali salama: kila moja inakuingiza mara moja ukipoteza simu yako.\n\n[Mipangilio ya hatua mbili]({{link}})\n\n${SI_WEWE}`,
    },
  },
  two_factor_off: {
    email: {
      subject: "Uthibitishaji wa hatua mbili umezimwa kwenye akaunti yako ya {{tenantName}}",
      body: `Habari {{name}},\n\nUthibitishaji wa hatua mbili umezimwa kwenye akaunti yako: sasa kuingia kunahitaji nenosiri lako pekee.\n\n[Uwashe tena]({{link}})\n\n${SI_WEWE}`,
    },
  },
  two_factor_recovery_code_used: {
    email: {
      subject: "Nambari ya dharura imetumika kuingia {{tenantName}}",
      body: `Habari {{name}},\n\nMtu ameingia kwenye akaunti yako kwa kutumia mojawapo ya nambari zako za dharura badala ya nambari ya programu ya uthibitishaji. Nambari hiyo haitafanya kazi tena.\n\nNambari za dharura zilizobaki: {{codesLeft}}. Zikiisha, tengeneza mpya sasa, la sivyo huenda usiweze kuingia ukipoteza simu yako.\n\n[Mipangilio ya hatua mbili]({{link}})\n\n${SI_WEWE}`,
    },
  },
  api_session_revoked: {
    email: {
      subject: "Tumeondoa {{app}} kwenye akaunti yako ya {{tenantName}}",
      body: `Habari {{name}},\n\nTarehe {{time}} ufunguo unaoweka {{app}} ndani ya akaunti yako ulitumika mara ya pili. Hilo linaweza kumaanisha kwamba mtu aliunakili, kwa hivyo tumekomesha kuingia huko: programu itakuomba uingie tena.\n\n[Mipangilio yako ya usalama]({{link}})\n\n${SI_WEWE}`,
    },
  },
  email_change_confirm: {
    email: {
      subject: "Thibitisha barua pepe yako mpya kwa {{tenantName}}",
      body: "Habari {{name}},\n\nUmeomba kuingia {{tenantName}} kwa {{newEmail}} kuanzia sasa. Thibitisha anwani hii ili mabadiliko yafanyike.\n\n[Thibitisha barua pepe yangu mpya]({{link}})\n\nKiungo hiki kinafanya kazi mara moja tu, kwa saa {{hours}}. Ikiwa hukuomba hivi, puuza barua pepe hii: hakuna kitakachobadilika.",
    },
  },
  email_change_notice: {
    email: {
      subject: "Barua pepe ya kuingia {{tenantName}} inabadilishwa",
      body: "Habari {{name}},\n\nMtu aliyeingia kwenye akaunti yako ya {{tenantName}} ameomba kubadilisha anwani yake ya barua pepe kuwa {{newEmail}}. Hakuna kitakachobadilika hadi anwani mpya ithibitishwe.\n\nIkiwa ni wewe, huhitaji kufanya chochote.\n\n[Si mimi: sitisha mabadiliko]({{cancelLink}})\n\nIkiwa si wewe, sitisha mabadiliko, kisha ubadilishe nenosiri lako kwenye ukurasa wa usalama wa akaunti yako.",
    },
  },
  email_changed: {
    email: {
      subject: "Barua pepe ya kuingia {{tenantName}} imebadilika",
      body: "Habari {{name}},\n\nSasa unaingia kwenye akaunti yako ya {{tenantName}} kwa {{newEmail}}. Tutakuandikia huko kuanzia sasa.\n\nIkiwa hukufanya mabadiliko haya, wasiliana nasi mara moja.",
    },
  },
  data_export_ready: {
    email: {
      subject: "Taarifa zako za {{tenantName}} ziko tayari kupakuliwa",
      body: "Habari {{name}},\n\nNakala ya taarifa zako uliyoomba iko tayari: kila kitu {{tenantName}} inachohifadhi kukuhusu, kwenye faili la ZIP pamoja na hati zako.\n\n[Pakua taarifa zangu]({{link}})\n\nKiungo kinafanya kazi ukiwa umeingia kwenye akaunti yako, hadi {{expiresOn}}. Baada ya hapo faili litafutwa; unaweza kuomba jingine wakati wowote.\n\nIkiwa hukuomba hivi, ingia na ubadilishe nenosiri lako.",
    },
    in_app: { subject: "Taarifa zako ziko tayari", body: "Unaweza kupakua nakala ya taarifa zako hadi {{expiresOn}}." },
  },
  data_export_failed: {
    email: {
      subject: "Hatukuweza kuandaa taarifa zako za {{tenantName}}",
      body: "Habari {{name}},\n\nKuna hitilafu ilitokea tulipokuwa tukiandaa nakala ya taarifa zako. Hakuna kilichobadilika kwenye akaunti yako.\n\n[Jaribu tena]({{link}})",
    },
    in_app: { subject: "Taarifa zako hazikuweza kuandaliwa", body: "Kuna hitilafu imetokea: tafadhali omba nakala yako tena." },
  },
  account_closed: {
    email: {
      subject: "Akaunti yako ya {{tenantName}} imefungwa",
      body: "Habari {{name}},\n\nKama ulivyoomba, akaunti yako ya {{tenantName}} imefungwa: umetolewa kwenye vifaa vyote na taarifa zako binafsi zimefutwa.\n\nTunahifadhi kumbukumbu za sera na malipo yako kwa muda unaotakiwa na sheria tu, na si kitu kingine.\n\nIkiwa hukuomba hivi, tafadhali wasiliana nasi mara moja.",
    },
  },

  quote_saved: {
    email: {
      subject: "Makadirio yako ya {{productName}} kutoka {{tenantName}}",
      body: "Habari {{name}},\n\nTumehifadhi makadirio yako ya {{productName}}: {{amount}}. Yanadumu hadi {{validUntil}}.\n\n[Endelea na makadirio yangu]({{link}})",
    },
    in_app: { subject: "Makadirio yamehifadhiwa", body: "{{productName}}: {{amount}}, hadi {{validUntil}}." },
  },
  application_received: {
    email: {
      subject: "Risiti {{receiptNumber}} kutoka {{tenantName}}",
      body: "Habari {{name}},\n\nTumepokea {{amount}} kwa ajili ya oda {{orderReference}}. Risiti yako imeambatishwa.\n\nKampuni ya bima inakagua ombi lako; cheti chako kitafuata mara litakapoidhinishwa.\n\n[Angalia sera zangu]({{link}})",
    },
    sms: { body: "{{tenantName}}: tumepokea {{amount}} kwa oda {{orderReference}}. Kampuni ya bima inakagua ombi lako." },
    in_app: { subject: "Malipo yamepokelewa", body: "{{amount}} kwa oda {{orderReference}}. Ombi lako linakaguliwa." },
  },
  payment_failed: {
    email: {
      subject: "Malipo yako kwa {{tenantName}} hayakufanikiwa",
      body: "Habari {{name}},\n\nMalipo yako ya {{amount}} kwa oda {{orderReference}} hayakufanikiwa, na hakuna pesa iliyochukuliwa.\n\n[Jaribu tena]({{link}})",
    },
    sms: { body: "{{tenantName}}: malipo yako ya {{amount}} kwa oda {{orderReference}} hayakufanikiwa. Tafadhali jaribu tena." },
    in_app: { subject: "Malipo hayakufanikiwa", body: "{{amount}} kwa oda {{orderReference}} hayakufanikiwa." },
  },
  instalment_due: {
    email: {
      subject: "Ada yako ya bima ya {{amount}} kwa {{tenantName}} inadaiwa",
      body: "Habari {{name}},\n\nAwamu inayofuata ya sera {{policyNumber}}, {{amount}}, inapaswa kulipwa tarehe {{dueDate}}.\n\n[Lipa sasa]({{link}})\n\nIsipolipwa, sera itaingia kwenye muda wa ziada wa malipo na baadaye inaweza kukoma.",
    },
    sms: { body: "{{tenantName}}: {{amount}} ya sera {{policyNumber}} inapaswa kulipwa {{dueDate}}. Lipa kupitia akaunti yako." },
    in_app: { subject: "Ada ya bima inadaiwa", body: "{{amount}} ya sera {{policyNumber}}, ilipwe tarehe {{dueDate}}." },
  },
  payment_overdue: {
    email: {
      subject: "Ada yako ya bima ya {{amount}} kwa {{tenantName}} imepitwa na muda",
      body: "Habari {{name}},\n\nAwamu ya sera {{policyNumber}}, {{amount}}, ilipaswa kulipwa tarehe {{dueDate}} na bado haijalipwa. Sera sasa iko kwenye muda wa ziada wa malipo.\n\n[Lipa sasa]({{link}})\n\nIsipolipwa kabla muda wa ziada kuisha, sera itakoma na hutakuwa na bima tena.",
    },
    sms: { body: "{{tenantName}}: {{amount}} ya sera {{policyNumber}} ilipaswa kulipwa {{dueDate}}. Lipa sasa ili bima yako iendelee." },
    in_app: {
      subject: "Ada ya bima imechelewa",
      body: "{{amount}} ya sera {{policyNumber}} ilipaswa kulipwa {{dueDate}}. Lipa sasa ili bima iendelee.",
    },
  },
  autodebit_failed: {
    email: {
      subject: "Hatukuweza kukata ada yako ya bima ya {{amount}} kwa {{tenantName}}",
      body: "Habari {{name}},\n\nTulijaribu kukata {{amount}} kwa awamu ya sera {{policyNumber}} inayodaiwa tarehe {{dueDate}} kwenye kadi yako {{card}}, lakini haikufanikiwa: {{reason}}\n\nTafadhali lipa mwenyewe kwa kiungo kilicho hapa chini. Kadi yako itaendelea kuhifadhiwa, na tutaijaribu tena kwa awamu yako inayofuata.\n\n[Lipa sasa]({{link}})\n\nAwamu isipolipwa, sera itaingia kwenye muda wa ziada wa malipo na baadaye inaweza kukoma.",
    },
    sms: {
      body: "{{tenantName}}: hatukuweza kukata {{amount}} ya sera {{policyNumber}} kwenye kadi yako. Tafadhali lipa kupitia akaunti yako.",
    },
    in_app: {
      subject: "Malipo ya kadi hayakufanikiwa",
      body: "{{amount}} ya sera {{policyNumber}} haikuweza kukatwa kwenye {{card}}: {{reason}}",
    },
  },

  policy_documents: {
    email: {
      subject: "Bima yako ya {{tenantName}} imeanza: {{orderReference}}",
      body: "Habari {{name}},\n\nAsante kwa malipo yako. Hati zako zimeambatishwa.\n\n{{policies}}. Mtu yeyote anaweza kuhakiki sera kwenye anwani iliyoonyeshwa.\n\n[Angalia sera zangu]({{link}})\n\nHifadhi barua pepe hii: vyeti ndivyo uthibitisho wa bima yako.",
    },
    sms: { body: "{{tenantName}}: bima yako imeanza. Sera {{policyNumbers}}. Cheti chako kiko kwenye barua pepe na akaunti yako." },
    in_app: { subject: "Bima yako imeanza", body: "Sera {{policyNumbers}}: cheti chako kiko tayari." },
  },
  policy_declined: {
    email: {
      subject: "Ombi lako la {{productName}} kwa {{tenantName}}",
      body: "Habari {{name}},\n\nSamahani: baada ya ukaguzi, kampuni ya bima haikuweza kutoa {{productName}}. Sababu: {{reason}}\n\nTunakurejeshea {{refund}} kwa njia uliyolipia. Utapata risiti marejesho yakikamilika.\n\n[Angalia sera zangu]({{link}})",
    },
    in_app: { subject: "Ombi limekataliwa", body: "Kampuni ya bima haikuweza kutoa {{productName}}. {{refund}} inarejeshwa." },
  },
  policy_changed: {
    email: {
      subject: "Sera {{policyNumber}} imebadilika kuanzia {{effectiveDate}}",
      body: "Habari {{name}},\n\nSera yako {{policyNumber}} imebadilika kuanzia {{effectiveDate}} (toleo {{version}}):\n\n{{changes}}\n\nAda ya ziada iliyolipwa: {{premiumPaid}}. Ada inayorejeshwa kwako: {{premiumReturned}}.\n\nAda ya bima ya mwaka sasa ni {{annualPremium}} kabla ya ushuru. Cheti chako kipya kimeambatishwa.\n\n[Angalia sera yangu]({{link}})",
    },
    in_app: { subject: "Sera imebadilika", body: "Sera {{policyNumber}} imebadilika kuanzia {{effectiveDate}}: {{changes}}" },
  },
  policy_cancelled: {
    email: {
      subject: "Sera yako ya {{productName}} {{policyNumber}} imesitishwa",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} imesitishwa: bima yake iliisha mwanzoni mwa {{cancelledOn}}.\n\nAda inayorejeshwa kwako: {{refund}}, kwa njia uliyolipia. Kati ya hiyo, inayorejeshwa moja kwa moja na {{tenantName}} (pesa taslimu au kupitia benki): {{byAgency}}. Unaweza kufuatilia marejesho kwenye ukurasa wa sera.\n\nBarua ya kusitisha imeambatishwa: inaonyesha kinachorejeshwa na kwa nini. Ihifadhi kwa kumbukumbu zako.\n\n[Angalia sera]({{link}})",
    },
    in_app: { subject: "Sera imesitishwa", body: "Sera {{policyNumber}} imesitishwa kuanzia {{cancelledOn}}. Marejesho: {{refund}}." },
  },
  policy_lapsed: {
    email: {
      subject: "Sera yako ya {{tenantName}} {{policyNumber}} imekoma",
      body: "Habari {{name}},\n\nSera yako {{policyNumber}} imekoma: ada yake haikulipwa hata baada ya muda wa ziada, na sasa huna bima chini yake.\n\n[Angalia sera]({{link}})\n\nWasiliana nasi ikiwa unataka kupata bima tena.",
    },
    sms: { body: "{{tenantName}}: sera {{policyNumber}} imekoma kwa kutolipwa ada. Huna bima tena. Wasiliana nasi kuirejesha." },
    in_app: { subject: "Sera imekoma", body: "Sera {{policyNumber}} imekoma: huna bima tena chini yake." },
  },
  policy_reinstated: {
    email: {
      subject: "Sera yako ya {{tenantName}} {{policyNumber}} inafanya kazi tena",
      body: "Habari {{name}},\n\nSera yako {{policyNumber}} imerejeshwa: una bima tena.\n\n[Angalia sera]({{link}})",
    },
    in_app: { subject: "Sera imerejeshwa", body: "Sera {{policyNumber}} inafanya kazi tena." },
  },
  renewal_offer: {
    email: {
      subject: "Huisha bima yako ya {{tenantName}}: {{policyNumber}}",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} inaisha tarehe {{endDate}}. Ihuishe ili uendelee kuwa na bima kuanzia {{startDate}}: {{price}}.\n\nKilichobadilika tangu muhula uliopita: {{changes}}\n\n[Huisha sera yangu]({{link}})",
    },
    in_app: { subject: "Wakati wa kuhuisha", body: "Sera {{policyNumber}} inaisha tarehe {{endDate}}. Ihuishe kwa {{price}}." },
  },
  renewal_reminder: {
    email: {
      subject: "Ukumbusho: huisha {{policyNumber}} kabla ya {{endDate}}",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} inaisha tarehe {{endDate}}. Ihuishe ili uendelee kuwa na bima kuanzia {{startDate}}: {{price}}.\n\nKilichobadilika tangu muhula uliopita: {{changes}}\n\n[Huisha sera yangu]({{link}})",
    },
    in_app: { subject: "Ukumbusho wa kuhuisha", body: "Sera {{policyNumber}} inaisha tarehe {{endDate}}. Ihuishe kwa {{price}}." },
  },
  auto_renew_failed: {
    email: {
      subject: "Huisha bima yako ya {{tenantName}}: {{policyNumber}}",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} inaisha tarehe {{endDate}}. Ihuishe ili uendelee kuwa na bima kuanzia {{startDate}}: {{price}}.\n\nUhuishaji wa moja kwa moja umewashwa, lakini hatukuweza kukata njia yako ya malipo iliyohifadhiwa, kwa hivyo tafadhali huisha kwa kiungo kilicho hapa chini.\n\n[Huisha sera yangu]({{link}})",
    },
    in_app: { subject: "Uhuishaji wa moja kwa moja haukufanikiwa", body: "Tafadhali huisha sera {{policyNumber}} kabla ya {{endDate}}." },
  },
  policy_renewed: {
    email: {
      subject: "Imehuishwa: sera yako mpya ni {{newPolicyNumber}}",
      body: "Habari {{name}},\n\nSera {{oldPolicyNumber}} imehuishwa. Sera yako mpya {{newPolicyNumber}} inakupa bima kuanzia {{startDate}} hadi {{endDate}}; cheti chake kitatumwa kwa barua pepe.\n\n[Angalia sera yangu mpya]({{link}})",
    },
    in_app: { subject: "Sera imehuishwa", body: "Sera yako mpya {{newPolicyNumber}} inakupa bima kuanzia {{startDate}} hadi {{endDate}}." },
  },
  policy_expiring: {
    email: {
      subject: "Bima yako {{policyNumber}} inaisha tarehe {{endDate}}",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} inaisha tarehe {{endDate}} na bado haijahuishwa.\n\n[Endelea kuwa na bima]({{link}})",
    },
    sms: { body: "{{tenantName}}: sera {{policyNumber}} inaisha {{endDate}} na bado haijahuishwa. Ihuishe kupitia akaunti yako." },
    in_app: { subject: "Bima inaisha", body: "Sera {{policyNumber}} inaisha tarehe {{endDate}} na bado haijahuishwa." },
  },
  policy_expired: {
    email: {
      subject: "Bima yako {{policyNumber}} imeisha",
      body: "Habari {{name}},\n\nSera yako ya {{productName}} {{policyNumber}} iliisha tarehe {{endDate}}. Huna bima tena chini yake.\n\n[Pata bima mpya]({{link}})",
    },
    in_app: { subject: "Bima imeisha", body: "Sera {{policyNumber}} iliisha tarehe {{endDate}}." },
  },

  claim_filed: {
    email: {
      subject: "Dai {{claimNumber}} limepokelewa",
      body: "Habari {{name}},\n\nTumepokea dai {{claimNumber}} la {{claimantName}} la {{claimed}} kwenye sera {{policyNumber}}.\n\nMtathmini atalikagua na kukujulisha hatua inayofuata. Unaweza kulifuatilia, na kutuma hati yoyote tutakayoomba, kwenye ukurasa wa dai.\n\n[Fuatilia dai]({{link}})",
    },
    in_app: { subject: "Dai limepokelewa", body: "Dai {{claimNumber}} la {{claimed}} liko kwa mtathmini." },
  },
  claim_documents_requested: {
    email: {
      subject: "Tunahitaji hati zaidi kwa dai {{claimNumber}}",
      body: "Habari {{name}},\n\nIli kukamilisha tathmini ya dai {{claimNumber}} la {{claimantName}}, mtathmini anaomba:\n\n{{message}}\n\nHati za kutuma: {{documents}}\n\n[Tuma hati]({{link}})",
    },
    in_app: { subject: "Hati zinahitajika", body: "Dai {{claimNumber}}: {{message}}" },
  },
  claim_documents_reminder: {
    email: {
      subject: "Bado tunasubiri hati za dai {{claimNumber}}",
      body: "Habari {{name}},\n\nDai lako {{claimNumber}} linasubiri hati tulizoomba. Tunaweza kukamilisha tathmini yake tu zikishafika.\n\n[Tuma hati]({{link}})\n\nIkiwa huwezi kupata hati fulani, jibu barua pepe hii na utueleze kwa nini: tutaangalia unachoweza kutuma.",
    },
    in_app: { subject: "Hati bado zinahitajika", body: "Dai {{claimNumber}} linasubiri hati tulizoomba." },
  },
  document_verified: {
    in_app: { subject: "Hati imekubaliwa", body: "{{document}} ya dai {{claimNumber}} imekubaliwa." },
  },
  claim_approved: {
    email: {
      subject: "Dai {{claimNumber}} limeidhinishwa",
      body: "Habari {{name}},\n\nDai {{claimNumber}} la {{claimantName}} limeidhinishwa: {{approved}}, ukiondoa kiasi cha kujilipia cha {{excess}}. Tutalipa {{payable}}.\n\nTutakujulisha mara tu malipo yatakapofanyika, pamoja na barua yako ya malipo.\n\n[Angalia dai]({{link}})",
    },
    sms: { body: "{{tenantName}}: dai {{claimNumber}} limeidhinishwa. Tutalipa {{payable}} na kukujulisha likishalipwa." },
    in_app: { subject: "Dai limeidhinishwa", body: "Dai {{claimNumber}}: tutalipa {{payable}}." },
  },
  claim_rejected: {
    email: {
      subject: "Uamuzi kuhusu dai {{claimNumber}}",
      body: "Habari {{name}},\n\nSamahani: baada ya kutathmini dai {{claimNumber}} la {{claimantName}}, hatuwezi kulilipa.\n\nSababu: {{reasons}}\n\nBarua ya uamuzi imeambatishwa. Ikiwa hukubaliani, unaweza kukata rufaa hadi {{appealBy}}: tueleze sababu kwenye ukurasa wa dai.\n\n[Angalia dai]({{link}})",
    },
    sms: { body: "{{tenantName}}: hatuwezi kulipa dai {{claimNumber}}. Barua iko kwenye barua pepe yako. Rufaa hadi {{appealBy}}." },
    in_app: { subject: "Uamuzi wa dai", body: "Dai {{claimNumber}} haliwezi kulipwa. Unaweza kukata rufaa hadi {{appealBy}}." },
  },
  claim_settled: {
    email: {
      subject: "Dai {{claimNumber}} limelipwa",
      body: "Habari {{name}},\n\nTumelipa {{amount}} kwa dai {{claimNumber}} la {{claimantName}} kupitia {{method}} (kumbukumbu {{reference}}).\n\nBarua ya malipo {{settlementReference}} imeambatishwa. Ihifadhi kwa kumbukumbu zako.\n\n[Angalia dai]({{link}})",
    },
    sms: { body: "{{tenantName}}: tumelipa {{amount}} kwa dai {{claimNumber}} kupitia {{method}}, kumb. {{reference}}." },
    in_app: { subject: "Dai limelipwa", body: "{{amount}} imelipwa kwa dai {{claimNumber}} kupitia {{method}}." },
  },

  agent_approve: {
    email: {
      subject: "Karibu kwenye mtandao wa mawakala wa {{tenantName}}",
      body: `Habari {{name}},\n\nOmbi lako limeidhinishwa: sasa wewe ni wakala hai, nambari {{agentNumber}}.\n\nShiriki kiungo chako cha rufaa, sajili wanachama na ufuatilie kamisheni zako kwenye lango la mawakala.\n\n[Fungua lango la mawakala]({{link}})\n\n${MASWALI}`,
    },
    in_app: { subject: "Karibu, wakala {{agentNumber}}", body: "Ombi lako limeidhinishwa: sasa wewe ni wakala hai." },
  },
  agent_reject: {
    email: {
      subject: "Ombi lako la uwakala kwa {{tenantName}}",
      body: `Habari {{name}},\n\nSamahani: ombi lako la kujiunga na mtandao wa mawakala halikuidhinishwa.\n\nSababu: {{reason}}\n\n${MASWALI}`,
    },
  },
  agent_suspend: {
    email: {
      subject: "Akaunti yako ya wakala wa {{tenantName}} imesimamishwa",
      body: `Habari {{name}},\n\nAkaunti yako ya wakala {{agentNumber}} imesimamishwa: hutapata kamisheni hadi irejeshwe.\n\nSababu: {{reason}}\n\n${MASWALI}`,
    },
    in_app: { subject: "Akaunti ya wakala imesimamishwa", body: "Hutapata kamisheni hadi irejeshwe. Sababu: {{reason}}" },
  },
  agent_reinstate: {
    email: {
      subject: "Akaunti yako ya wakala wa {{tenantName}} inafanya kazi tena",
      body: `Habari {{name}},\n\nAkaunti yako ya wakala {{agentNumber}} inafanya kazi tena.\n\nSababu: {{reason}}\n\n[Fungua lango la mawakala]({{link}})\n\n${MASWALI}`,
    },
    in_app: { subject: "Akaunti ya wakala inafanya kazi tena", body: "Akaunti yako ya wakala {{agentNumber}} inafanya kazi tena." },
  },
  agent_terminate: {
    email: {
      subject: "Akaunti yako ya wakala wa {{tenantName}} imefungwa",
      body: `Habari {{name}},\n\nAkaunti yako ya wakala {{agentNumber}} imesitishwa kabisa.\n\nSababu: {{reason}}\n\n${MASWALI}`,
    },
  },
  member_invite: {
    email: {
      subject: "Akaunti yako ya {{tenantName}} iko tayari",
      body: "Habari {{name}},\n\n{{agentName}}, wakala wako wa {{tenantName}}, amekusajili kama mwanachama. Kwa akaunti yako unaweza kuona sera, vyeti na malipo yako wakati wowote.\n\n[Weka nenosiri langu]({{link}})\n\nKiungo hiki kinafanya kazi mara moja tu, kwa siku 7. Baada ya hapo, tumia Umesahau nenosiri kwenye ukurasa wa kuingia.",
    },
  },
  member_linked: {
    email: {
      subject: "{{agentName}} sasa ni wakala wako wa {{tenantName}}",
      body: "Habari {{name}},\n\n{{agentName}}, wakala wa {{tenantName}}, amekusajili kama mwanachama wake. Sasa anaweza kukuuzia bima, na kuona sera na malipo utakayofanya kupitia yeye au kwenye tovuti yetu kuanzia sasa. Sera zako za awali zinabaki kuwa siri.\n\nUnaingia kama kawaida, kwa nenosiri lako mwenyewe.\n\n[Sera zangu]({{link}})\n\nIkiwa humjui wakala huyu, jibu barua pepe hii au wasiliana na wakala.",
    },
    in_app: {
      subject: "{{agentName}} sasa ni wakala wako",
      body: "{{agentName}} sasa anaweza kukuuzia bima. Sera zako za awali zinabaki kuwa siri.",
    },
  },
  member_payment_link: {
    email: {
      subject: "Bima yako ya {{tenantName}} iko tayari kulipiwa: {{orderReference}}",
      body: "Habari {{name}},\n\n{{agentName}} amekuandalia {{products}} (oda {{orderReference}}). Malipo ya kwanza ni {{amount}}.\n\n[Kagua na ulipe]({{link}})\n\nIngia kwa barua pepe yako ili ulipe. Ikiwa bado hujaweka nenosiri, tumia kiungo kilicho kwenye barua pepe yako ya kukaribishwa au Umesahau nenosiri kwenye ukurasa wa kuingia.",
    },
    in_app: { subject: "Bima iko tayari kulipiwa", body: "{{agentName}} ameandaa {{products}}: {{amount}} za kulipa." },
  },
  member_suspend: {
    email: {
      subject: "Uanachama wako wa {{tenantName}} umesimamishwa",
      body: "Habari {{name}},\n\nUanachama wako umesimamishwa: hakuna sera mpya inayoweza kununuliwa kupitia wakala wako wala dai jipya kuwasilishwa hadi urejeshwe.\n\nSera zako zinaendelea kufanya kazi: endelea kulipa awamu zako zinapofika. Madai uliyokwisha kuwasilisha yanaendelea kama kawaida.\n\nSababu: {{reason}}\n\n[Fungua akaunti yangu]({{link}})\n\nUkiwa na maswali, jibu barua pepe hii au wasiliana na wakala wako au kampuni.",
    },
    in_app: { subject: "Uanachama umesimamishwa", body: "Sera zako zinaendelea kufanya kazi. Sababu: {{reason}}" },
  },
  member_reinstate: {
    email: {
      subject: "Uanachama wako wa {{tenantName}} unafanya kazi tena",
      body: "Habari {{name}},\n\nUanachama wako unafanya kazi tena: unaweza kununua bima na kuwasilisha madai kama awali.\n\nSababu: {{reason}}\n\n[Fungua akaunti yangu]({{link}})\n\nUkiwa na maswali, jibu barua pepe hii au wasiliana na wakala wako au kampuni.",
    },
    in_app: { subject: "Uanachama unafanya kazi tena", body: "Unaweza kununua bima na kuwasilisha madai kama awali." },
  },
  member_terminate: {
    email: {
      subject: "Uanachama wako wa {{tenantName}} umekoma",
      body: "Habari {{name}},\n\nUanachama wako umekoma na akaunti yako imefungwa, huwezi kuingia tena.\n\nSera zako hazisitishwi kwa sababu hii: kampuni itakuandikia kuhusu kila moja. Madai uliyokwisha kuwasilisha yanaendelea.\n\nSababu: {{reason}}\n\nUkiwa na maswali, jibu barua pepe hii au wasiliana na wakala wako au kampuni.",
    },
  },
  member_suspend_agent: {
    email: {
      subject: "Mwanachama wako {{memberName}} amesimamishwa",
      body: "Habari {{name}},\n\nKampuni imemsimamisha mwanachama wako {{memberName}}.\n\nSababu: {{reason}}\n\n[Fungua mwanachama]({{link}})",
    },
    in_app: { subject: "Mwanachama amesimamishwa", body: "{{memberName}} amesimamishwa. Sababu: {{reason}}" },
  },
  member_reinstate_agent: {
    email: {
      subject: "Mwanachama wako {{memberName}} amerejeshwa",
      body: "Habari {{name}},\n\nKampuni imemrejesha mwanachama wako {{memberName}}.\n\nSababu: {{reason}}\n\n[Fungua mwanachama]({{link}})",
    },
    in_app: { subject: "Mwanachama amerejeshwa", body: "{{memberName}} amerejeshwa. Sababu: {{reason}}" },
  },
  member_terminate_agent: {
    email: {
      subject: "Uanachama wa {{memberName}} umekomeshwa",
      body: "Habari {{name}},\n\nKampuni imekomesha uanachama wa mwanachama wako {{memberName}}.\n\nSababu: {{reason}}\n\n[Fungua mwanachama]({{link}})",
    },
    in_app: { subject: "Uanachama umekomeshwa", body: "Uanachama wa {{memberName}} umekomeshwa. Sababu: {{reason}}" },
  },
  offline_payment_rejected: {
    email: {
      subject: "Malipo {{reference}} hayakuthibitishwa: {{orderReference}}",
      body: "Habari {{name}},\n\nMalipo ya {{amount}} uliyorekodi kwa {{memberName}} (oda {{orderReference}}, kumbukumbu {{reference}}) hayakuthibitishwa na wafanyakazi wetu.\n\nSababu: {{reason}}\n\nOda bado iko wazi: rekodi malipo tena kwa taarifa sahihi, au mtumie mwanachama kiungo cha kulipa mtandaoni.\n\n[Fungua mwanachama]({{link}})",
    },
    in_app: { subject: "Malipo hayakuthibitishwa", body: "{{amount}} kwa {{memberName}} (oda {{orderReference}}): {{reason}}" },
  },
  commission_statement: {
    email: {
      subject: "Taarifa yako ya {{month}} iko tayari",
      body: "Habari {{name}},\n\nTaarifa yako ya kamisheni ya {{tenantName}} ya {{month}} (wakala {{agentNumber}}) iko tayari: umepata {{earned}} mwezi huu, na {{payable}} inalipwa.\n\nKundi la malipo: {{payoutReference}}.\n\n[Angalia taarifa zangu]({{link}})",
    },
    in_app: { subject: "Taarifa ya {{month}} iko tayari", body: "Umepata {{earned}}; {{payable}} inalipwa." },
  },
  payout_paid: {
    email: {
      subject: "Kamisheni yako ya {{amount}} kutoka {{tenantName}} imelipwa",
      body: "Habari {{name}},\n\nTumekulipa kamisheni ya {{amount}} (malipo {{payoutReference}}).\n\n[Angalia taarifa zangu]({{link}})",
    },
    in_app: { subject: "Kamisheni imelipwa", body: "{{amount}} imelipwa (malipo {{payoutReference}})." },
  },

  chargeback_opened: {
    email: {
      subject: "Malipo {{payment}} yamepingwa: jibu kabla ya {{respondBy}}",
      body: "Habari {{name}},\n\nMmiliki wa kadi amepinga {{amount}} ya malipo {{payment}} kupitia benki yake. Sababu iliyotolewa: {{reason}}.\n\nJibu kwa ushahidi kwa mtoa huduma wa malipo kabla ya {{respondBy}}, la sivyo mgogoro utapotea.\n\n[Fungua malipo]({{link}})",
    },
    in_app: { subject: "Malipo {{payment}} yamepingwa", body: "{{amount}} imepingwa. Jibu kabla ya {{respondBy}}." },
  },
  chargeback_lost: {
    email: {
      subject: "Mgogoro wa malipo {{payment}} umepotea",
      body: "Habari {{name}},\n\nBenki ya mmiliki wa kadi imeamua mgogoro wa malipo {{payment}} dhidi ya kampuni: {{amount}} imerudishwa kwake.\n\nKamisheni yoyote ya wakala kwa malipo haya inarejeshwa, kama ilivyo kwa marejesho. Kagua sera iliyolipiwa na malipo haya.\n\n[Fungua malipo]({{link}})",
    },
    in_app: { subject: "Mgogoro wa malipo {{payment}} umepotea", body: "{{amount}} imerudishwa kwa mmiliki wa kadi." },
  },
  alert_raised: {
    email: {
      subject: "Tahadhari: {{title}}",
      body: "Habari {{name}},\n\n{{title}}\n\n{{detail}}\n\nHutatumiwa barua pepe nyingine kuhusu jambo hili hadi litakapotatuliwa.\n\n[Fungua tahadhari]({{link}})",
    },
    in_app: { subject: "Tahadhari: {{title}}", body: "{{detail}} Fungua ukurasa wa tahadhari ili kuiona." },
  },
  mandate_active: {
    email: {
      subject: "Makato ya kiotomatiki yamewashwa kwa sera {{policyNumber}}",
      body: "Habari {{name}},\n\nBenki yako {{bank}} imekubali mamlaka ya makato ya moja kwa moja kwa sera {{policyNumber}}. Kuanzia sasa {{tenantName}} itakata kila awamu siku inapodaiwa, hadi {{maxAmount}} kwa kila makato.\n\nUnaweza kughairi mamlaka kwenye ukurasa wa sera yako wakati wowote.\n\n[Fungua sera yangu]({{link}})",
    },
    in_app: {
      subject: "Makato ya kiotomatiki yamewashwa",
      body: "Awamu za sera {{policyNumber}} zitakatwa kutoka {{bank}} siku zinapodaiwa.",
    },
  },
  mandate_stopped: {
    email: {
      subject: "Makato ya kiotomatiki yamesimamishwa kwa sera {{policyNumber}}",
      body: "Habari {{name}},\n\nMamlaka ya makato ya moja kwa moja kwenye {{bank}} kwa sera {{policyNumber}} sasa ni {{status}}. Hatutakata tena akaunti yako kwa ajili yake.\n\nTafadhali lipa awamu zako zijazo mwenyewe, au weka mamlaka mapya kwenye ukurasa wa sera yako.\n\n[Fungua sera yangu]({{link}})",
    },
    sms: {
      body: "{{tenantName}}: makato ya kiotomatiki kwa sera {{policyNumber}} yamesimamishwa ({{status}}). Tafadhali lipa awamu zako kutoka akaunti yako.",
    },
    in_app: {
      subject: "Makato ya kiotomatiki yamesimamishwa",
      body: "Mamlaka ya sera {{policyNumber}} ni {{status}}. Lipa awamu zako mwenyewe au weka mamlaka mapya.",
    },
  },
};
