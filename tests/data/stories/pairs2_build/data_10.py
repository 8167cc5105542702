# Tunisia presidential elections (2019, 2024)
I('tn_saied24_johina','Johina News','https://johinanews.com/amp/article/254672','تونس: فوز قيس سعيد بولاية رئاسية ثانية',
 'فاز الرئيس قيس سعيد بولاية رئاسية ثانية مدتها 5 سنوات، بحصوله على نسبة 90,69 بالمئة من الأصوات منذ الدور الأول للانتخابات الرئاسية التي جرت أمس الأحد.','2024-10-07','knowledge (results announced Monday after 6 Oct vote)')
I('tn_saied19_emarat','Emarat Alyoum','https://emaratalyoum.com/politics/news/2019-10-13-1.1261994?ot=ot.AMPPageLayout','قيس سعيّد رئيسا لتونس باكثر من 75 % من الأصوات',
 'فاز أستاذ القانون الدستوري قيس سعيد في الانتخابات الرئاسية في تونس متقدما بفارق كبير على منافسه رجل الأعمال نبيل القروي، بحسب نتائج استطلاع للرأي نشر نتائجه التلفزيون الحكومي التونسي مساء الأحد.','2019-10-13','url')
I('tn_saied19_rebbon','Rebbon','https://rebbon.net/?p=29012','قيس سعيّد رئيسا جديدا لتونس بنسبة 76 في المئة',
 'فاز المرشح المستقل قيس سعيّد (61 عاما) في الانتخابات الرئاسية التونسية التي جرت جولتها الثانية الأحد بحصوله على نسبة 76 في المئة من إجمالي أصوات الناخبين، حسب ما أعلنه التلفزيون الرسمي التونسي.','2019-10-13','knowledge')
I('tn_saied19_alislah','Alislah','https://alislah.ma/%d9%82%d9%8a%d8%b3-%d8%b3%d8%b9%d9%8a%d8%af-%d8%b1%d8%a6%d9%8a%d8%b3%d8%a7-%d9%84%d8%aa%d9%88%d9%86%d8%b3%d8%8c-%d9%88%d8%a7%d8%ad%d8%aa%d9%81%d8%a7%d9%84%d8%a7%d8%aa-%d8%aa%d8%b9%d9%85-%d8%a7',
 '“قيس سعيد” رئيسا لتونس، واحتفالات بانتصار التجربة الديمقراطية','فاز المرشح المستقل قيس سعيّد في الانتخابات الرئاسية التونسية التي جرت جولتها الثانية الأحد 14 أكتوبر 2019 بحصوله على نسبة 76 في المئة من إجمالي أصوات الناخبين، حسب ما أعلنه التلفزيون الرسمي التونسي.','2019-10-13','knowledge (run-off on Sunday 13 Oct 2019; text says 14)')
I('tn_saied19_mowaten','Al Mowaten (Saudi)','https://almowaten.net/2019/10/%d9%82%d9%8a%d8%b3-%d8%b3%d8%b9%d9%8a%d8%af-%d8%b1%d8%a6%d9%8a%d8%b3%d9%8b%d8%a7-%d9%84%d8%aa%d9%88%d9%86%d8%b3-%d8%a8%d9%86%d8%b3%d8%a8%d8%a9-75','قيس سعيد رئيسًا لتونس بنسبة 75 %',
 'أعلن التلفزيون التونسي فوز المرشح المستقل قيس سعيد برئاسة البلاد بنسبة 75%.','2019-10-13','text (13 Oct 2019)')
I('tn_saied19_arabweek','Arab Week','https://arabweek.com.lb/2019/10/15/%d9%82%d9%8a%d8%b3-%d8%b3%d8%b9%d9%8a%d9%91%d8%af-%d8%b1%d8%a6%d9%8a%d8%b3%d8%a7%d9%8b-%d9%84%d8%aa%d9%88%d9%86%d8%b3-%d9%84%d9%84%d8%a8%d9%84%d8%a7%d8%af-%d8%a8%d9%86%d8%b3%d8%a8%d8%a9-72%d8%8c71',
 'قيس سعيّد رئيساً لتونس للبلاد بنسبة 72،71 بالمئة من الأصوات','أعلنت الهيئة العليا المستقلة للانتخابات التونسية في مؤتمر صحفي الاثنين، فوز قيس سعيّد رسمياً في الانتخابات الرئاسية التي جرت الأحد، بعد حصوله على «الأغلبية المطلقة للأصوات المصرح بها» بنسبة 72،71 بالمئة.','2019-10-14','text (Monday) + url')
# Algeria 2024 provisional results (8 Sep 2024)
I('dz_tebboune_sudanpost','Sudan Post','https://www.sudanpost.info/%D8%AA%D8%A8%D9%88%D9%86-%D9%8A%D9%81%D9%88%D8%B2-%D8%A8%D9%88%D9%84%D8%A7%D9%8A%D8%A9-%D8%B1%D8%A6%D8%A7%D8%B3%D9%8A%D8%A9-%D8%AB%D8%A7%D9%86%D9%8A%D8%A9-%D9%81%D9%8A-%D8%A7%D9%84%D8%AC%D8%B2/',
 'تبون يفوز بولاية رئاسية ثانية في الجزائر','فاز الرئيس الجزائري المستقل عبد المجيد تبون بولاية رئاسية ثانية، حيث أعلنت السلطة الوطنية للانتخابات في الجزائر فوز تبون بعد حصوله على 94.65% من الأصوات.','2024-09-08','knowledge')
I('dz_tebboune_24saa','24 Saa','https://24saa.com/%d9%83%d9%85%d8%a7-%d9%83%d8%a7%d9%86-%d9%85%d8%aa%d9%88%d9%82%d8%b9%d8%a7-%d8%b9%d8%a8%d8%af-%d8%a7%d9%84%d9%85%d8%ac%d9%8a%d8%af-%d8%aa%d8%a8%d9%88%d9%86-%d9%8a%d9%81%d9%88%d8%b2-%d8%a8%d8%a7',
 'كما كان متوقعا.. عبد المجيد تبون يفوز بولاية رئاسية ثانية','فاز الرئيس الجزائري عبد المجيد تبون بولاية رئاسية ثانية، حسبما أعلنت السلطة الوطنية للانتخابات في البلاد، الأحد.','2024-09-08','text (Sunday) + knowledge')
I('dz_tebboune_gulf365','Gulf365','https://newsi.gulf365.net/gulf/12742355/%D8%AA%D8%AE%D8%B7%D9%89-94--%D9%85%D9%86-%D8%A7%D9%84%D8%A3%D8%B5%D9%88%D8%A7%D8%AA-%D8%A7%D9%86%D8%AA%D8%AE%D8%A7%D8%A8-%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3-%D8%A7%D9%84%D8%AC%D8%B2%D8%A7%D8%A6%D8%B1%D9%8A-%D9%84%D9%88%D9%84%D8%A7%D9%8A%D8%A9-%D8%AC%D8%AF%D9%8A%D8%AF%D8%A9.html',
 'تخطى 94 % من الأصوات.. انتخاب الرئيس الجزائري لولاية جديدة','انتخب الرئيس عبدالمجيد تبون لولاية جديدة في الانتخابات الرئاسية الجزائرية التي جرت أمس السبت.','2024-09-08','text (vote "yesterday Saturday" 7 Sep)')
# Mohamed Salah
I('salah_renew_emegypt','EM Egypt','https://emegypt.net/34701','“محمد صلاح يمدد عقده رسمياً مع ليفربول: الحكاية لا تنتهي”',
 'أعلن نادي ليفربول الإنجليزي أن نجمه وهدافه المصري محمد صلاح سيبقى مع الفريق، لكنه لم يكشف عن مدة أو تفاصيل العقد.','2025-04-11','knowledge')
I('salah_renew_watan24','Watan24','https://www.watan24.ma/%D9%85%D8%AD%D9%85%D8%AF-%D8%B5%D9%84%D8%A7%D8%AD-%D9%8A%D8%AC%D8%AF%D8%AF-%D8%B9%D9%82%D8%AF%D9%87-%D9%85%D8%B9-%D9%84%D9%8A%D9%81%D8%B1%D8%A8%D9%88%D9%84-%D8%AD%D8%AA%D9%89-2027-%D9%88%D9%8A%D8%AA/',
 'محمد صلاح يجدد عقده مع ليفربول حتى 2027','أعلن نادي ليفربول الإنجليزي يوم الجمعة عن تمديد عقد نجمه المصري محمد صلاح لموسمين إضافيين، في خطوة أنهت التكهنات حول مستقبله وربطته بالنادي حتى صيف 2027.','2025-04-11','text (Friday) + knowledge')
I('salah_pfa18_chinguit','Chinguit Media','https://chinguitmedia.com/%d9%85%d8%ad%d9%85%d8%af-%d8%b5%d9%84%d8%a7%d8%ad-%d9%8a%d9%81%d9%88%d8%b2-%d8%a8%d8%ac%d8%a7%d8%a6%d8%b2%d8%a9-%d8%a3%d9%81%d8%b6%d9%84-%d9%84%d8%a7%d8%b9%d8%a8-%d9%81%d9%8a-%d8%a7%d9%84%d8%af%d9%88/',
 'محمد صلاح يفوز بجائزة أفضل لاعب في الدوري الإنكليزي','حصد محمد صلاح، نجم ليفربول الإنجليزي، جائزة أفضل لاعب في إنجلترا هذا الموسم، في الحفل السنوي رقم 45 لرابطة اللاعبين المحترفين الإنجليزية.','2018-04-22','knowledge')
I('salah_pfa18_hadas','Hadas Now','https://hadasnow.com/%D8%B1%D8%B3%D9%85%D9%8A%D9%8B%D8%A7-%D9%85%D8%AD%D9%85%D8%AF-%D8%B5%D9%84%D8%A7%D8%AD-%D8%A3%D9%81%D8%B6%D9%84-%D9%84%D8%A7%D8%B9%D8%A8-%D9%81%D9%89-%D8%A7%D9%84%D8%AF%D9%88%D8%B1%D9%8A-%D8%A7',
 'رسميًا.. محمد صلاح أفضل لاعب فى الدوري الإنجليزي','حصد النجم المصرى محمد صلاح ، لاعب فريق ليفربول الإنجليزي، جائزة أفضل لاعب فى مسابقة الدوري الإنجليزي لموسم 2017-2018، وذلك خلال حفل جوائز رابطة المحترفين الذى أقيم اليوم بالعاصمة الإنجليزية لندن.','2018-04-22','knowledge')

P('same','tn_saied19_emarat','tn_saied19_rebbon','paraphrase','events: Saied wins Tunisian run-off per exit polls [2019-10-13] both')
P('same','tn_saied19_alislah','tn_saied19_mowaten','paraphrase','events: Saied wins Tunisian run-off, ~75-76% [2019-10-13] both')
P('different','tn_saied24_johina','tn_saied19_rebbon','same_person','events: Saied re-elected with 90.69% [2024-10-07] vs Saied first elected, 76% [2019-10-13]')
P('different','tn_saied19_arabweek','tn_saied19_emarat','follow_up','events: official result Saied 72.71% [2019-10-14] vs exit polls give Saied 75%+ [2019-10-13] (doubtful: confirmation next day)')
P('same','dz_tebboune_sudanpost','dz_tebboune_gulf365','paraphrase','events: Tebboune re-elected with 94.65% (provisional) [2024-09-08] both')
P('same','dz_tebboune_24saa','dz_tebboune_sudanpost','paraphrase','events: Tebboune re-elected with 94.65% (provisional) [2024-09-08] both')
P('different','dz_tebboune_almap','dz_tebboune_24saa','follow_up','events: constitutional court confirms Tebboune at 84.3% [2024-09-14] vs electoral authority announces 94.65% [2024-09-08]')
P('different','dz_tebboune_gulf365','tn_saied24_johina','same_event_type','events: Tebboune re-elected in Algeria [2024-09-08] vs Saied re-elected in Tunisia [2024-10-07]')
P('different','dz_tebboune2019_maghribi','tn_saied19_mowaten','same_event_type','events: Tebboune elected Algerian president [2019-12-13] vs Saied elected Tunisian president [2019-10-13]')
P('same','salah_renew_emegypt','salah_renew_watan24','paraphrase','events: Salah extends Liverpool contract to 2027 [2025-04-11] both')
P('same','salah_pfa18_chinguit','salah_pfa18_hadas','paraphrase','events: Salah wins PFA Player of the Year [2018-04-22] both')
P('different','salah_renew_watan24','salah_pfa18_chinguit','same_person','events: Salah renews Liverpool contract [2025-04-11] vs Salah wins PFA award [2018-04-22]')
P('different','salah_pfa18_hadas','salah_renew_emegypt','same_person','events: Salah PFA Player of the Year [2018-04-22] vs Salah contract extension [2025-04-11]')
