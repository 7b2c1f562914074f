import type { LanguageDefaults } from "./types";

/** Bahasa Melayu: the shipped wording for Malay-speaking customers (Malaysia). */
const BUKAN_ANDA =
  "Jika ini bukan anda, tukar kata laluan anda sekarang dan hubungi agensi: mungkin ada orang lain yang mengetahui kata laluan anda.";
const SOALAN = "Jika ada sebarang soalan, balas e-mel ini atau hubungi agensi.";

export const ms: LanguageDefaults = {
  phone_code: {
    sms: { body: "{{code}} ialah kod pengesahan {{tenantName}} anda. Kod ini tamat dalam {{minutes}} minit. Jangan kongsikannya." },
  },
  payment_received: {
    email: {
      subject: "Resit {{receiptNumber}} daripada {{tenantName}}",
      body: "Salam {{name}},\n\nKami telah menerima {{amount}} untuk {{description}}. Resit anda dilampirkan.\n\n[Lihat bayaran saya]({{link}})",
    },
    sms: { body: "{{tenantName}}: kami telah menerima {{amount}} untuk {{description}}. Resit {{receiptNumber}}." },
    in_app: { subject: "Bayaran diterima", body: "{{amount}} untuk {{description}}. Resit {{receiptNumber}}." },
  },

  welcome: {
    email: {
      subject: "Selamat datang ke {{tenantName}}",
      body: "Salam {{name}},\n\nAkaun {{tenantName}} anda sudah sedia. Melaluinya anda boleh membeli perlindungan, membuat bayaran, dan mengikuti polisi serta tuntutan anda.\n\n[Buka akaun saya]({{link}})",
    },
    in_app: {
      subject: "Selamat datang ke {{tenantName}}",
      body: "Akaun anda sudah sedia: beli perlindungan, buat bayaran dan ikuti polisi serta tuntutan anda di sini.",
    },
  },
  verify_email: {
    email: {
      subject: "Sahkan e-mel anda untuk {{tenantName}}",
      body: "Salam {{name}},\n\nSila sahkan alamat e-mel anda untuk melengkapkan pendaftaran akaun {{tenantName}} anda.\n\n[Sahkan e-mel saya]({{link}})\n\nPautan ini sah selama 48 jam. Jika anda tidak membuka akaun, abaikan e-mel ini.",
    },
  },
  reset_password: {
    email: {
      subject: "Tetapkan semula kata laluan {{tenantName}} anda",
      body: "Salam {{name}},\n\nKami menerima permintaan untuk menetapkan semula kata laluan anda. Pilih kata laluan baharu melalui pautan di bawah.\n\n[Pilih kata laluan baharu]({{link}})\n\nPautan ini boleh digunakan sekali sahaja, selama 60 minit. Jika anda tidak memintanya, kata laluan anda tidak berubah dan anda boleh mengabaikan e-mel ini.",
    },
  },
  account_exists: {
    email: {
      subject: "Seseorang cuba membuka akaun {{tenantName}} dengan e-mel anda",
      body: "Salam {{name}},\n\nSeseorang, mungkin anda, cuba membuka akaun {{tenantName}} baharu dengan alamat e-mel ini. Anda sudah mempunyai akaun, jadi tiada akaun baharu dibuka.\n\n[Log masuk]({{signInLink}})\n\nTerlupa kata laluan? Pilih yang baharu di sini:\n\n[Tetapkan semula kata laluan saya]({{resetLink}})\n\nJika ini bukan anda, abaikan e-mel ini: tiada apa-apa yang berubah pada akaun anda.",
    },
  },
  invite: {
    email: {
      subject: "Anda dijemput mengurus {{tenantName}} di Covera",
      body: "Salam {{name}},\n\nAnda telah ditambah sebagai {{role}} bagi {{tenantName}}. Tetapkan kata laluan anda untuk log masuk.\n\n[Tetapkan kata laluan saya]({{link}})\n\nJemputan ini boleh digunakan sekali sahaja, selama 7 hari.",
    },
  },
  two_factor_on: {
    email: {
      subject: "Log masuk dua faktor diaktifkan untuk akaun {{tenantName}} anda",
      body: `Salam {{name}},\n\nLog masuk dua faktor telah diaktifkan untuk akaun anda: mulai sekarang, selepas kata laluan anda akan diminta kod daripada aplikasi pengesah anda.\n\nSimpan kod pemulihan anda di tempat yang selamat: setiap satu membolehkan anda log masuk sekali jika telefon anda hilang.\n\n[Tetapan dua faktor anda]({{link}})\n\n${BUKAN_ANDA}`,
    },
  },
  two_factor_off: {
    email: {
      subject: "Log masuk dua faktor dinyahaktifkan untuk akaun {{tenantName}} anda",
      body: `Salam {{name}},\n\nLog masuk dua faktor telah dinyahaktifkan untuk akaun anda: log masuk kini hanya memerlukan kata laluan anda.\n\n[Aktifkan semula]({{link}})\n\n${BUKAN_ANDA}`,
    },
  },
  two_factor_recovery_code_used: {
    email: {
      subject: "Kod pemulihan digunakan untuk log masuk ke {{tenantName}}",
      body: `Salam {{name}},\n\nSeseorang telah log masuk ke akaun anda menggunakan salah satu kod pemulihan anda dan bukan kod daripada aplikasi pengesah. Kod itu tidak boleh digunakan lagi.\n\nKod pemulihan yang tinggal: {{codesLeft}}. Jika sudah habis, jana kod baharu sekarang, atau anda mungkin tidak dapat log masuk jika telefon anda hilang.\n\n[Tetapan dua faktor anda]({{link}})\n\n${BUKAN_ANDA}`,
    },
  },
  api_session_revoked: {
    email: {
      subject: "Kami telah mengeluarkan {{app}} daripada akaun {{tenantName}} anda",
      body: `Salam {{name}},\n\nPada {{time}} kunci yang mengekalkan {{app}} dilog masuk ke akaun anda telah digunakan kali kedua. Ini mungkin bermakna seseorang telah menyalinnya, jadi kami menamatkan log masuk itu: aplikasi itu akan meminta anda log masuk semula.\n\n[Tetapan keselamatan anda]({{link}})\n\n${BUKAN_ANDA}`,
    },
  },
  email_change_confirm: {
    email: {
      subject: "Sahkan e-mel baharu anda untuk {{tenantName}}",
      body: "Salam {{name}},\n\nAnda meminta untuk log masuk ke {{tenantName}} dengan {{newEmail}} mulai sekarang. Sahkan alamat ini untuk membuat perubahan.\n\n[Sahkan e-mel baharu saya]({{link}})\n\nPautan ini boleh digunakan sekali sahaja, selama {{hours}} jam. Jika anda tidak memintanya, abaikan e-mel ini: tiada apa-apa yang berubah.",
    },
  },
  email_change_notice: {
    email: {
      subject: "E-mel log masuk {{tenantName}} anda sedang ditukar",
      body: "Salam {{name}},\n\nSeseorang yang log masuk ke akaun {{tenantName}} anda meminta untuk menukar alamat e-melnya kepada {{newEmail}}. Tiada apa-apa yang berubah sehingga alamat baharu disahkan.\n\nJika ini anda, tiada apa-apa yang perlu dilakukan.\n\n[Bukan saya: batalkan perubahan]({{cancelLink}})\n\nJika ini bukan anda, batalkan perubahan itu, kemudian tukar kata laluan anda di halaman keselamatan akaun anda.",
    },
  },
  email_changed: {
    email: {
      subject: "E-mel log masuk {{tenantName}} anda telah ditukar",
      body: "Salam {{name}},\n\nAkaun {{tenantName}} anda kini log masuk dengan {{newEmail}}. Kami akan menghubungi anda di alamat itu mulai sekarang.\n\nJika anda tidak membuat perubahan ini, hubungi kami dengan segera.",
    },
  },
  data_export_ready: {
    email: {
      subject: "Data {{tenantName}} anda sedia untuk dimuat turun",
      body: "Salam {{name}},\n\nSalinan data yang anda minta sudah sedia: semua maklumat yang disimpan oleh {{tenantName}} tentang anda, dalam fail ZIP bersama dokumen anda.\n\n[Muat turun data saya]({{link}})\n\nPautan ini berfungsi apabila anda log masuk ke akaun anda, sehingga {{expiresOn}}. Selepas itu fail akan dipadam; anda boleh meminta salinan baharu pada bila-bila masa.\n\nJika anda tidak memintanya, log masuk dan tukar kata laluan anda.",
    },
    in_app: { subject: "Data anda sudah sedia", body: "Salinan data anda boleh dimuat turun sehingga {{expiresOn}}." },
  },
  data_export_failed: {
    email: {
      subject: "Kami tidak dapat menyediakan data {{tenantName}} anda",
      body: "Salam {{name}},\n\nBerlaku ralat semasa kami menyediakan salinan data anda. Tiada apa-apa yang berubah pada akaun anda.\n\n[Cuba lagi]({{link}})",
    },
    in_app: { subject: "Data anda tidak dapat disediakan", body: "Berlaku ralat: sila minta salinan anda sekali lagi." },
  },
  account_closed: {
    email: {
      subject: "Akaun {{tenantName}} anda telah ditutup",
      body: "Salam {{name}},\n\nSeperti yang anda minta, akaun {{tenantName}} anda telah ditutup: anda telah dilog keluar daripada semua peranti dan butiran peribadi anda telah dipadam.\n\nKami menyimpan rekod polisi dan bayaran anda selama tempoh yang dikehendaki undang-undang sahaja, dan tiada yang lain.\n\nJika anda tidak memintanya, sila hubungi kami dengan segera.",
    },
  },

  quote_saved: {
    email: {
      subject: "Sebut harga {{productName}} anda daripada {{tenantName}}",
      body: "Salam {{name}},\n\nKami telah menyimpan sebut harga anda untuk {{productName}}: {{amount}}. Ia sah sehingga {{validUntil}}.\n\n[Teruskan dengan sebut harga saya]({{link}})",
    },
    in_app: { subject: "Sebut harga disimpan", body: "{{productName}}: {{amount}}, sehingga {{validUntil}}." },
  },
  application_received: {
    email: {
      subject: "Resit {{receiptNumber}} daripada {{tenantName}}",
      body: "Salam {{name}},\n\nKami telah menerima {{amount}} untuk pesanan {{orderReference}}. Resit anda dilampirkan.\n\nPenanggung insurans sedang menyemak permohonan anda; sijil anda akan menyusul sebaik sahaja ia diluluskan.\n\n[Lihat polisi saya]({{link}})",
    },
    sms: { body: "{{tenantName}}: kami telah menerima {{amount}} untuk pesanan {{orderReference}}. Permohonan anda sedang disemak." },
    in_app: { subject: "Bayaran diterima", body: "{{amount}} untuk pesanan {{orderReference}}. Permohonan anda sedang disemak." },
  },
  payment_failed: {
    email: {
      subject: "Bayaran {{tenantName}} anda tidak berjaya",
      body: "Salam {{name}},\n\nBayaran anda sebanyak {{amount}} untuk pesanan {{orderReference}} tidak berjaya, dan tiada wang diambil.\n\n[Cuba lagi]({{link}})",
    },
    sms: { body: "{{tenantName}}: bayaran anda sebanyak {{amount}} untuk pesanan {{orderReference}} tidak berjaya. Sila cuba lagi." },
    in_app: { subject: "Bayaran tidak berjaya", body: "{{amount}} untuk pesanan {{orderReference}} tidak berjaya." },
  },
  instalment_due: {
    email: {
      subject: "Premium {{tenantName}} anda sebanyak {{amount}} perlu dibayar",
      body: "Salam {{name}},\n\nAnsuran seterusnya bagi polisi {{policyNumber}}, {{amount}}, perlu dibayar pada {{dueDate}}.\n\n[Bayar sekarang]({{link}})\n\nJika tidak dibayar, polisi akan memasuki tempoh tangguh dan mungkin luput selepas itu.",
    },
    sms: { body: "{{tenantName}}: {{amount}} bagi polisi {{policyNumber}} perlu dibayar pada {{dueDate}}. Bayar melalui akaun anda." },
    in_app: { subject: "Premium perlu dibayar", body: "{{amount}} bagi polisi {{policyNumber}}, perlu dibayar pada {{dueDate}}." },
  },
  payment_overdue: {
    email: {
      subject: "Premium {{tenantName}} anda sebanyak {{amount}} sudah lewat",
      body: "Salam {{name}},\n\nAnsuran bagi polisi {{policyNumber}}, {{amount}}, perlu dibayar pada {{dueDate}} dan masih belum dibayar. Polisi kini dalam tempoh tangguh.\n\n[Bayar sekarang]({{link}})\n\nJika masih belum dibayar apabila tempoh tangguh tamat, polisi akan luput dan anda tidak lagi dilindungi.",
    },
    sms: {
      body: "{{tenantName}}: {{amount}} bagi polisi {{policyNumber}} perlu dibayar pada {{dueDate}}. Bayar sekarang untuk kekal dilindungi.",
    },
    in_app: {
      subject: "Premium lewat",
      body: "{{amount}} bagi polisi {{policyNumber}} perlu dibayar pada {{dueDate}}. Bayar sekarang untuk kekal dilindungi.",
    },
  },
  autodebit_failed: {
    email: {
      subject: "Kami tidak dapat mendebit premium {{tenantName}} anda sebanyak {{amount}}",
      body: "Salam {{name}},\n\nKami cuba mendebit {{amount}} untuk ansuran polisi {{policyNumber}} yang perlu dibayar pada {{dueDate}} daripada kad anda {{card}}, tetapi tidak berjaya: {{reason}}\n\nSila bayar sendiri melalui pautan di bawah. Kad anda kekal disimpan, dan kami akan mencubanya lagi untuk ansuran seterusnya.\n\n[Bayar sekarang]({{link}})\n\nJika ansuran ini tidak dibayar, polisi akan memasuki tempoh tangguh dan mungkin luput selepas itu.",
    },
    sms: {
      body: "{{tenantName}}: kami tidak dapat mendebit {{amount}} bagi polisi {{policyNumber}} daripada kad anda. Sila bayar melalui akaun anda.",
    },
    in_app: {
      subject: "Debit kad tidak berjaya",
      body: "{{amount}} bagi polisi {{policyNumber}} tidak dapat didebit daripada {{card}}: {{reason}}",
    },
  },

  policy_documents: {
    email: {
      subject: "Perlindungan {{tenantName}} anda telah berkuat kuasa: {{orderReference}}",
      body: "Salam {{name}},\n\nTerima kasih atas bayaran anda. Dokumen anda dilampirkan.\n\n{{policies}}. Sesiapa sahaja boleh menyemak polisi di alamat yang ditunjukkan.\n\n[Lihat polisi saya]({{link}})\n\nSimpan e-mel ini: sijil ialah bukti perlindungan anda.",
    },
    sms: {
      body: "{{tenantName}}: perlindungan anda telah berkuat kuasa. Polisi {{policyNumbers}}. Sijil anda ada dalam e-mel dan akaun anda.",
    },
    in_app: { subject: "Perlindungan anda telah berkuat kuasa", body: "Polisi {{policyNumbers}}: sijil anda sudah sedia." },
  },
  policy_declined: {
    email: {
      subject: "Permohonan {{productName}} anda dengan {{tenantName}}",
      body: "Salam {{name}},\n\nHarap maaf: selepas semakan, penanggung insurans tidak dapat menawarkan {{productName}}. Sebab: {{reason}}\n\nKami memulangkan {{refund}} melalui kaedah bayaran anda. Anda akan menerima resit apabila ia selesai.\n\n[Lihat polisi saya]({{link}})",
    },
    in_app: {
      subject: "Permohonan ditolak",
      body: "Penanggung insurans tidak dapat menawarkan {{productName}}. {{refund}} sedang dipulangkan.",
    },
  },
  policy_changed: {
    email: {
      subject: "Polisi {{policyNumber}} berubah mulai {{effectiveDate}}",
      body: "Salam {{name}},\n\nPolisi anda {{policyNumber}} telah berubah mulai {{effectiveDate}} (versi {{version}}):\n\n{{changes}}\n\nPremium tambahan yang dibayar: {{premiumPaid}}. Premium yang dipulangkan kepada anda: {{premiumReturned}}.\n\nPremium tahunan kini {{annualPremium}} sebelum levi. Sijil anda yang dikemas kini dilampirkan.\n\n[Lihat polisi saya]({{link}})",
    },
    in_app: { subject: "Polisi berubah", body: "Polisi {{policyNumber}} berubah mulai {{effectiveDate}}: {{changes}}" },
  },
  policy_cancelled: {
    email: {
      subject: "Polisi {{productName}} anda {{policyNumber}} telah dibatalkan",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} telah dibatalkan: perlindungannya berakhir pada awal {{cancelledOn}}.\n\nPremium yang dipulangkan kepada anda: {{refund}}, melalui kaedah bayaran anda. Daripada jumlah itu, yang dipulangkan terus oleh {{tenantName}} (tunai atau pindahan bank): {{byAgency}}. Anda boleh mengikuti bayaran balik di halaman polisi.\n\nSurat pembatalan dilampirkan: ia menunjukkan apa yang dipulangkan dan sebabnya. Simpan untuk rekod anda.\n\n[Lihat polisi]({{link}})",
    },
    in_app: { subject: "Polisi dibatalkan", body: "Polisi {{policyNumber}} dibatalkan mulai {{cancelledOn}}. Bayaran balik: {{refund}}." },
  },
  policy_lapsed: {
    email: {
      subject: "Polisi {{tenantName}} anda {{policyNumber}} telah luput",
      body: "Salam {{name}},\n\nPolisi anda {{policyNumber}} telah luput: premiumnya tidak dibayar selepas tempoh tangguh, dan anda tidak lagi dilindungi olehnya.\n\n[Lihat polisi]({{link}})\n\nHubungi kami jika anda mahu dilindungi semula.",
    },
    sms: {
      body: "{{tenantName}}: polisi {{policyNumber}} telah luput kerana premium tidak dibayar. Anda tidak lagi dilindungi. Hubungi kami.",
    },
    in_app: { subject: "Polisi luput", body: "Polisi {{policyNumber}} telah luput: anda tidak lagi dilindungi olehnya." },
  },
  policy_reinstated: {
    email: {
      subject: "Polisi {{tenantName}} anda {{policyNumber}} berkuat kuasa semula",
      body: "Salam {{name}},\n\nPolisi anda {{policyNumber}} telah dikembalikan semula: anda dilindungi semula.\n\n[Lihat polisi]({{link}})",
    },
    in_app: { subject: "Polisi dikembalikan semula", body: "Polisi {{policyNumber}} berkuat kuasa semula." },
  },
  renewal_offer: {
    email: {
      subject: "Perbaharui perlindungan {{tenantName}} anda: {{policyNumber}}",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} tamat pada {{endDate}}. Perbaharuinya untuk terus dilindungi mulai {{startDate}}: {{price}}.\n\nPerubahan sejak tempoh lalu: {{changes}}\n\n[Perbaharui polisi saya]({{link}})",
    },
    in_app: {
      subject: "Masa untuk memperbaharui",
      body: "Polisi {{policyNumber}} tamat pada {{endDate}}. Perbaharuinya dengan {{price}}.",
    },
  },
  renewal_reminder: {
    email: {
      subject: "Peringatan: perbaharui {{policyNumber}} sebelum {{endDate}}",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} tamat pada {{endDate}}. Perbaharuinya untuk terus dilindungi mulai {{startDate}}: {{price}}.\n\nPerubahan sejak tempoh lalu: {{changes}}\n\n[Perbaharui polisi saya]({{link}})",
    },
    in_app: { subject: "Peringatan pembaharuan", body: "Polisi {{policyNumber}} tamat pada {{endDate}}. Perbaharuinya dengan {{price}}." },
  },
  auto_renew_failed: {
    email: {
      subject: "Perbaharui perlindungan {{tenantName}} anda: {{policyNumber}}",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} tamat pada {{endDate}}. Perbaharuinya untuk terus dilindungi mulai {{startDate}}: {{price}}.\n\nPembaharuan automatik diaktifkan, tetapi kami tidak dapat mendebit kaedah bayaran yang disimpan, jadi sila perbaharui melalui pautan di bawah.\n\n[Perbaharui polisi saya]({{link}})",
    },
    in_app: { subject: "Pembaharuan automatik tidak berjaya", body: "Sila perbaharui polisi {{policyNumber}} sebelum {{endDate}}." },
  },
  policy_renewed: {
    email: {
      subject: "Diperbaharui: polisi baharu anda ialah {{newPolicyNumber}}",
      body: "Salam {{name}},\n\nPolisi {{oldPolicyNumber}} telah diperbaharui. Polisi baharu anda {{newPolicyNumber}} melindungi anda dari {{startDate}} hingga {{endDate}}; sijilnya akan dihantar melalui e-mel.\n\n[Lihat polisi baharu saya]({{link}})",
    },
    in_app: {
      subject: "Polisi diperbaharui",
      body: "Polisi baharu anda {{newPolicyNumber}} melindungi anda dari {{startDate}} hingga {{endDate}}.",
    },
  },
  policy_expiring: {
    email: {
      subject: "Perlindungan anda {{policyNumber}} tamat pada {{endDate}}",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} tamat pada {{endDate}} dan belum diperbaharui.\n\n[Kekal dilindungi]({{link}})",
    },
    sms: { body: "{{tenantName}}: polisi {{policyNumber}} tamat pada {{endDate}} dan belum diperbaharui. Perbaharui melalui akaun anda." },
    in_app: { subject: "Perlindungan akan tamat", body: "Polisi {{policyNumber}} tamat pada {{endDate}} dan belum diperbaharui." },
  },
  policy_expired: {
    email: {
      subject: "Perlindungan anda {{policyNumber}} telah tamat",
      body: "Salam {{name}},\n\nPolisi {{productName}} anda {{policyNumber}} telah tamat pada {{endDate}}. Anda tidak lagi dilindungi olehnya.\n\n[Dapatkan perlindungan baharu]({{link}})",
    },
    in_app: { subject: "Perlindungan tamat", body: "Polisi {{policyNumber}} telah tamat pada {{endDate}}." },
  },

  claim_filed: {
    email: {
      subject: "Tuntutan {{claimNumber}} diterima",
      body: "Salam {{name}},\n\nKami telah menerima tuntutan {{claimNumber}} oleh {{claimantName}} sebanyak {{claimed}} bagi polisi {{policyNumber}}.\n\nPenilai akan menyemaknya dan memaklumkan langkah seterusnya. Anda boleh mengikutinya, dan menghantar sebarang dokumen yang kami minta, di halaman tuntutan.\n\n[Ikuti tuntutan]({{link}})",
    },
    in_app: { subject: "Tuntutan diterima", body: "Tuntutan {{claimNumber}} sebanyak {{claimed}} sedang dinilai." },
  },
  claim_documents_requested: {
    email: {
      subject: "Kami memerlukan dokumen tambahan untuk tuntutan {{claimNumber}}",
      body: "Salam {{name}},\n\nUntuk melengkapkan penilaian tuntutan {{claimNumber}} oleh {{claimantName}}, penilai meminta:\n\n{{message}}\n\nDokumen yang perlu dihantar: {{documents}}\n\n[Hantar dokumen]({{link}})",
    },
    in_app: { subject: "Dokumen diperlukan", body: "Tuntutan {{claimNumber}}: {{message}}" },
  },
  claim_documents_reminder: {
    email: {
      subject: "Kami masih menunggu dokumen untuk tuntutan {{claimNumber}}",
      body: "Salam {{name}},\n\nTuntutan anda {{claimNumber}} sedang menunggu dokumen yang kami minta. Kami hanya dapat melengkapkan penilaiannya selepas dokumen itu diterima.\n\n[Hantar dokumen]({{link}})\n\nJika anda tidak dapat memperoleh sesuatu dokumen, balas e-mel ini dan beritahu kami sebabnya: kami akan meneliti apa yang boleh anda hantar.",
    },
    in_app: { subject: "Dokumen masih diperlukan", body: "Tuntutan {{claimNumber}} sedang menunggu dokumen yang kami minta." },
  },
  document_verified: {
    in_app: { subject: "Dokumen diterima", body: "{{document}} bagi tuntutan {{claimNumber}} telah diterima." },
  },
  claim_approved: {
    email: {
      subject: "Tuntutan {{claimNumber}} diluluskan",
      body: "Salam {{name}},\n\nTuntutan {{claimNumber}} oleh {{claimantName}} diluluskan: {{approved}}, tolak lebihan sebanyak {{excess}}. Kami akan membayar {{payable}}.\n\nKami akan memaklumkan anda sebaik sahaja bayaran dibuat, bersama surat penyelesaian anda.\n\n[Lihat tuntutan]({{link}})",
    },
    sms: {
      body: "{{tenantName}}: tuntutan {{claimNumber}} diluluskan. Kami akan membayar {{payable}} dan memaklumkan anda apabila dibayar.",
    },
    in_app: { subject: "Tuntutan diluluskan", body: "Tuntutan {{claimNumber}}: kami akan membayar {{payable}}." },
  },
  claim_rejected: {
    email: {
      subject: "Keputusan tuntutan {{claimNumber}}",
      body: "Salam {{name}},\n\nHarap maaf: selepas menilai tuntutan {{claimNumber}} oleh {{claimantName}}, kami tidak dapat membayarnya.\n\nSebab: {{reasons}}\n\nSurat keputusan dilampirkan. Jika anda tidak bersetuju, anda boleh merayu sehingga {{appealBy}}: beritahu kami sebabnya di halaman tuntutan.\n\n[Lihat tuntutan]({{link}})",
    },
    sms: {
      body: "{{tenantName}}: kami tidak dapat membayar tuntutan {{claimNumber}}. Surat ada dalam e-mel anda. Rayuan sehingga {{appealBy}}.",
    },
    in_app: {
      subject: "Keputusan tuntutan",
      body: "Tuntutan {{claimNumber}} tidak dapat dibayar. Anda boleh merayu sehingga {{appealBy}}.",
    },
  },
  claim_settled: {
    email: {
      subject: "Tuntutan {{claimNumber}} telah dibayar",
      body: "Salam {{name}},\n\nKami telah membayar {{amount}} bagi tuntutan {{claimNumber}} oleh {{claimantName}} melalui {{method}} (rujukan {{reference}}).\n\nSurat penyelesaian {{settlementReference}} dilampirkan. Simpan untuk rekod anda.\n\n[Lihat tuntutan]({{link}})",
    },
    sms: { body: "{{tenantName}}: kami telah membayar {{amount}} bagi tuntutan {{claimNumber}} melalui {{method}}, ruj. {{reference}}." },
    in_app: { subject: "Tuntutan dibayar", body: "{{amount}} dibayar bagi tuntutan {{claimNumber}} melalui {{method}}." },
  },

  agent_approve: {
    email: {
      subject: "Selamat datang ke rangkaian ejen {{tenantName}}",
      body: `Salam {{name}},\n\nPermohonan anda diluluskan: anda kini ejen aktif, nombor {{agentNumber}}.\n\nKongsi pautan rujukan anda, daftarkan ahli dan ikuti komisen anda di portal ejen.\n\n[Buka portal ejen]({{link}})\n\n${SOALAN}`,
    },
    in_app: { subject: "Selamat datang, ejen {{agentNumber}}", body: "Permohonan anda diluluskan: anda kini ejen aktif." },
  },
  agent_reject: {
    email: {
      subject: "Permohonan ejen {{tenantName}} anda",
      body: `Salam {{name}},\n\nHarap maaf: permohonan anda untuk menyertai rangkaian ejen tidak diluluskan.\n\nSebab: {{reason}}\n\n${SOALAN}`,
    },
  },
  agent_suspend: {
    email: {
      subject: "Akaun ejen {{tenantName}} anda telah digantung",
      body: `Salam {{name}},\n\nAkaun ejen anda {{agentNumber}} telah digantung: anda tidak akan memperoleh komisen sehingga ia dikembalikan semula.\n\nSebab: {{reason}}\n\n${SOALAN}`,
    },
    in_app: { subject: "Akaun ejen digantung", body: "Anda tidak memperoleh komisen sehingga ia dikembalikan semula. Sebab: {{reason}}" },
  },
  agent_reinstate: {
    email: {
      subject: "Akaun ejen {{tenantName}} anda aktif semula",
      body: `Salam {{name}},\n\nAkaun ejen anda {{agentNumber}} aktif semula.\n\nSebab: {{reason}}\n\n[Buka portal ejen]({{link}})\n\n${SOALAN}`,
    },
    in_app: { subject: "Akaun ejen aktif semula", body: "Akaun ejen anda {{agentNumber}} aktif semula." },
  },
  agent_terminate: {
    email: {
      subject: "Akaun ejen {{tenantName}} anda telah ditamatkan",
      body: `Salam {{name}},\n\nAkaun ejen anda {{agentNumber}} telah ditamatkan.\n\nSebab: {{reason}}\n\n${SOALAN}`,
    },
  },
  member_invite: {
    email: {
      subject: "Akaun {{tenantName}} anda sudah sedia",
      body: "Salam {{name}},\n\n{{agentName}}, ejen {{tenantName}} anda, telah mendaftarkan anda sebagai ahli. Dengan akaun anda, anda boleh melihat polisi, sijil dan bayaran anda pada bila-bila masa.\n\n[Tetapkan kata laluan saya]({{link}})\n\nPautan ini boleh digunakan sekali sahaja, selama 7 hari. Selepas itu, gunakan Terlupa kata laluan di halaman log masuk.",
    },
  },
  member_linked: {
    email: {
      subject: "{{agentName}} kini ejen {{tenantName}} anda",
      body: "Salam {{name}},\n\n{{agentName}}, ejen {{tenantName}}, telah mendaftarkan anda sebagai ahlinya. Ejen ini kini boleh menjual perlindungan kepada anda, dan melihat polisi serta bayaran yang anda buat melaluinya atau di laman web kami mulai sekarang. Polisi anda yang terdahulu kekal peribadi.\n\nAnda log masuk seperti biasa, dengan kata laluan anda sendiri.\n\n[Polisi saya]({{link}})\n\nJika anda tidak mengenali ejen ini, balas e-mel ini atau hubungi agensi.",
    },
    in_app: {
      subject: "{{agentName}} kini ejen anda",
      body: "{{agentName}} kini boleh menjual perlindungan kepada anda. Polisi terdahulu anda kekal peribadi.",
    },
  },
  member_payment_link: {
    email: {
      subject: "Perlindungan {{tenantName}} anda sedia untuk dibayar: {{orderReference}}",
      body: "Salam {{name}},\n\n{{agentName}} telah menyediakan {{products}} untuk anda (pesanan {{orderReference}}). Bayaran pertama ialah {{amount}}.\n\n[Semak dan bayar]({{link}})\n\nLog masuk dengan e-mel anda untuk membayar. Jika anda belum menetapkan kata laluan, gunakan pautan dalam e-mel alu-aluan anda atau Terlupa kata laluan di halaman log masuk.",
    },
    in_app: {
      subject: "Perlindungan sedia untuk dibayar",
      body: "{{agentName}} telah menyediakan {{products}}: {{amount}} untuk dibayar.",
    },
  },
  member_suspend: {
    email: {
      subject: "Keahlian {{tenantName}} anda telah digantung",
      body: "Salam {{name}},\n\nKeahlian anda telah digantung: tiada polisi baharu boleh dibeli melalui ejen anda dan tiada tuntutan baharu boleh dibuat sehingga ia dikembalikan semula.\n\nPolisi anda kekal berkuat kuasa: teruskan membayar ansuran anda apabila tiba masanya. Tuntutan yang telah anda buat diteruskan seperti biasa.\n\nSebab: {{reason}}\n\n[Buka akaun saya]({{link}})\n\nJika ada sebarang soalan, balas e-mel ini atau hubungi ejen anda atau agensi.",
    },
    in_app: { subject: "Keahlian digantung", body: "Polisi anda kekal berkuat kuasa. Sebab: {{reason}}" },
  },
  member_reinstate: {
    email: {
      subject: "Keahlian {{tenantName}} anda aktif semula",
      body: "Salam {{name}},\n\nKeahlian anda aktif semula: anda boleh membeli perlindungan dan membuat tuntutan seperti biasa.\n\nSebab: {{reason}}\n\n[Buka akaun saya]({{link}})\n\nJika ada sebarang soalan, balas e-mel ini atau hubungi ejen anda atau agensi.",
    },
    in_app: { subject: "Keahlian aktif semula", body: "Anda boleh membeli perlindungan dan membuat tuntutan seperti biasa." },
  },
  member_terminate: {
    email: {
      subject: "Keahlian {{tenantName}} anda telah ditamatkan",
      body: "Salam {{name}},\n\nKeahlian anda telah ditamatkan dan akaun anda ditutup untuk log masuk.\n\nPolisi anda tidak dibatalkan kerana ini: agensi akan menghubungi anda tentang setiap satu. Tuntutan yang telah anda buat diteruskan.\n\nSebab: {{reason}}\n\nJika ada sebarang soalan, balas e-mel ini atau hubungi ejen anda atau agensi.",
    },
  },
  member_suspend_agent: {
    email: {
      subject: "Ahli anda {{memberName}} telah digantung",
      body: "Salam {{name}},\n\nAgensi telah menggantung ahli anda {{memberName}}.\n\nSebab: {{reason}}\n\n[Buka ahli]({{link}})",
    },
    in_app: { subject: "Ahli digantung", body: "{{memberName}} telah digantung. Sebab: {{reason}}" },
  },
  member_reinstate_agent: {
    email: {
      subject: "Ahli anda {{memberName}} telah dikembalikan semula",
      body: "Salam {{name}},\n\nAgensi telah mengembalikan semula ahli anda {{memberName}}.\n\nSebab: {{reason}}\n\n[Buka ahli]({{link}})",
    },
    in_app: { subject: "Ahli dikembalikan semula", body: "{{memberName}} telah dikembalikan semula. Sebab: {{reason}}" },
  },
  member_terminate_agent: {
    email: {
      subject: "Keahlian {{memberName}} telah ditamatkan",
      body: "Salam {{name}},\n\nAgensi telah menamatkan keahlian ahli anda {{memberName}}.\n\nSebab: {{reason}}\n\n[Buka ahli]({{link}})",
    },
    in_app: { subject: "Keahlian ditamatkan", body: "Keahlian {{memberName}} telah ditamatkan. Sebab: {{reason}}" },
  },
  offline_payment_rejected: {
    email: {
      subject: "Bayaran {{reference}} tidak disahkan: {{orderReference}}",
      body: "Salam {{name}},\n\nBayaran {{amount}} yang anda rekodkan untuk {{memberName}} (pesanan {{orderReference}}, rujukan {{reference}}) tidak disahkan oleh kakitangan kami.\n\nSebab: {{reason}}\n\nPesanan ini masih terbuka: rekodkan bayaran sekali lagi dengan butiran yang betul, atau hantar pautan kepada ahli untuk membayar dalam talian.\n\n[Buka ahli]({{link}})",
    },
    in_app: { subject: "Bayaran tidak disahkan", body: "{{amount}} untuk {{memberName}} (pesanan {{orderReference}}): {{reason}}" },
  },
  commission_statement: {
    email: {
      subject: "Penyata anda untuk {{month}} sudah sedia",
      body: "Salam {{name}},\n\nPenyata komisen {{tenantName}} anda untuk {{month}} (ejen {{agentNumber}}) sudah sedia: anda memperoleh {{earned}} bulan ini, dan {{payable}} perlu dibayar kepada anda.\n\nKelompok pembayaran: {{payoutReference}}.\n\n[Lihat penyata saya]({{link}})",
    },
    in_app: { subject: "Penyata {{month}} sudah sedia", body: "Anda memperoleh {{earned}}; {{payable}} perlu dibayar kepada anda." },
  },
  payout_paid: {
    email: {
      subject: "Komisen {{tenantName}} anda sebanyak {{amount}} telah dibayar",
      body: "Salam {{name}},\n\nKami telah membayar komisen sebanyak {{amount}} kepada anda (pembayaran {{payoutReference}}).\n\n[Lihat penyata saya]({{link}})",
    },
    in_app: { subject: "Komisen dibayar", body: "{{amount}} telah dibayar (pembayaran {{payoutReference}})." },
  },

  chargeback_opened: {
    email: {
      subject: "Caj balik atas {{payment}}: jawab sebelum {{respondBy}}",
      body: "Salam {{name}},\n\nSeorang pemegang kad mempertikaikan {{amount}} daripada bayaran {{payment}} dengan banknya. Sebab yang diberi: {{reason}}.\n\nJawab dengan bukti di penyedia pembayaran sebelum {{respondBy}}, atau pertikaian itu akan kalah.\n\n[Buka bayaran]({{link}})",
    },
    in_app: { subject: "Caj balik atas {{payment}}", body: "{{amount}} dipertikaikan. Jawab sebelum {{respondBy}}." },
  },
  chargeback_lost: {
    email: {
      subject: "Caj balik atas {{payment}} kalah",
      body: "Salam {{name}},\n\nBank pemegang kad telah memutuskan pertikaian bayaran {{payment}} terhadap agensi: {{amount}} telah dipulangkan kepadanya.\n\nSebarang komisen ejen atas bayaran ini ditarik balik, sama seperti bayaran balik. Semak polisi yang dibayar oleh bayaran ini.\n\n[Buka bayaran]({{link}})",
    },
    in_app: { subject: "Caj balik atas {{payment}} kalah", body: "{{amount}} telah dipulangkan kepada pemegang kad." },
  },
  alert_raised: {
    email: {
      subject: "Amaran: {{title}}",
      body: "Salam {{name}},\n\n{{title}}\n\n{{detail}}\n\nAnda tidak akan menerima e-mel lagi tentang perkara ini sehingga ia diselesaikan.\n\n[Buka amaran]({{link}})",
    },
    in_app: { subject: "Amaran: {{title}}", body: "{{detail}} Buka halaman amaran untuk melihatnya." },
  },
  mandate_active: {
    email: {
      subject: "Debit automatik dihidupkan untuk polisi {{policyNumber}}",
      body: "Salam {{name}},\n\nBank anda {{bank}} telah menerima mandat debit terus untuk polisi {{policyNumber}}. Mulai sekarang {{tenantName}} akan mendebit setiap ansuran pada tarikh matangnya, sehingga {{maxAmount}} setiap debit.\n\nAnda boleh membatalkan mandat di halaman polisi anda pada bila-bila masa.\n\n[Buka polisi saya]({{link}})",
    },
    in_app: {
      subject: "Debit automatik dihidupkan",
      body: "Ansuran polisi {{policyNumber}} akan didebit daripada {{bank}} pada tarikh matangnya.",
    },
  },
  mandate_stopped: {
    email: {
      subject: "Debit automatik dihentikan untuk polisi {{policyNumber}}",
      body: "Salam {{name}},\n\nMandat debit terus pada {{bank}} untuk polisi {{policyNumber}} kini {{status}}. Kami tidak akan mendebit akaun anda lagi untuknya.\n\nSila bayar ansuran anda yang seterusnya sendiri, atau sediakan mandat baharu di halaman polisi anda.\n\n[Buka polisi saya]({{link}})",
    },
    sms: {
      body: "{{tenantName}}: debit automatik untuk polisi {{policyNumber}} dihentikan ({{status}}). Sila bayar ansuran anda dari akaun anda.",
    },
    in_app: {
      subject: "Debit automatik dihentikan",
      body: "Mandat untuk polisi {{policyNumber}} kini {{status}}. Bayar ansuran anda sendiri atau sediakan mandat baharu.",
    },
  },
};
