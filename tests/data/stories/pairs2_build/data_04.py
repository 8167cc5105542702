# Lebanon: Aoun elected 9 Jan 2025; Salam designated 13 Jan 2025
I('lb_aoun_misrnow','Misr Now','https://misrnoweg.com/archives/170158','عاجل..بعد فراغ دام لأكثر من عامين: برلمان لبنان ينتخب رئيسا..جوزيف عون',
 'نجح البرلمان اللبناني، في انتخاب جوزيف عون، رئيسا جديدا للبنان، بعد جولة انتخابية ثانية، ظهر الخميس.','2025-01-09','text (Thursday) + knowledge')
I('lb_aoun_shfa','Shfa News','https://www.shfanews.net/post/196034','جوزيف خليل عون رئيسا للجمهورية في لبنان بعد حصوله على 99 صوتا في البرلمان',
 'انتخب مجلس النواب اللبناني، قائد الجيش، جوزيف عون، رئيسا للبلاد بعد شغور هذا المنصب منذ أكتوبر/تشرين الأول من عام 2022، الخميس.','2025-01-09','text (Thursday) + knowledge')
I('lb_aoun_elikaa','El Ikaa Online','https://elikaaonline.com/%D8%A7%D9%86%D8%AA%D8%AE%D8%A7%D8%A8-%D9%82%D8%A7%D8%A6%D8%AF-%D8%A7%D9%84%D8%AC%D9%8A%D8%B4-%D8%AC%D9%88%D8%B2%D9%8A%D9%81-%D8%B9%D9%88%D9%86-%D8%B1%D8%A6%D9%8A%D8%B3%D8%A7-%D8%AC%D8%AF%D9%8A%D8%AF/',
 'انتخاب قائد الجيش جوزيف عون رئيسا جديدا للبنان','انتخب، اليوم، قائد الجيش جوزيف عون رئيسا جديدا للبنان. جوزيف عون حصل على 99 صوتا من أعضاء مجلس النواب اللبناني.','2025-01-09','knowledge')
I('lb_salam_oujda','Oujda24','https://www.oujda24.com/2025/01/post-18.html','القاضي نواف سلام يتكلف بتشكيل الحكومة اللبنانية',
 'أعلنت رئاسة الجمهورية اللبنانية، مساء اليوم الاثنين، عن تكليف القاضي نواف سلام، رئيس محكمة العدل الدولية، بتشكيل الحكومة الجديدة في لبنان، بعد حصوله على تأييد 85 نائبًا من أصل 128 خلال الاستشارات النيابية.','2025-01-13','url (2025/01) + text (Monday)')
I('lb_salam_mashhad','Al Mashhad','https://almashhad.com/article/773112298002792-News/115378038560207-%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3-%D8%A7%D9%84%D9%84%D8%A8%D9%86%D8%A7%D9%86%D9%8A-%D9%8A%D9%83%D9%84%D9%81-%D9%86%D9%88%D8%A7%D9%81-%D8%B3%D8%A7%D9%85-%D8%A8%D8%AA%D8%B4%D9%83%D9%8A%D9%84-%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9/',
 'الرئيس اللبناني يكلف نواف سام بتشكيل الحكومة','أعلنت الرئاسة اللبنانية، مساء الاثنين، تكليف نواف سلام بتشكيل الحكومة اللبنانية بعد أن حظي بأكبر قدر من التأييد بين أعضاء البرلمان.','2025-01-13','knowledge')
# Saudi World Cup 2034
I('wc34_almkal','Almkal','https://www.almkal.com/%d8%a7%d9%84%d8%b3%d8%b9%d9%88%d8%af%d9%8a%d8%a9-%d8%aa%d9%81%d9%88%d8%b2-%d8%a8%d8%aa%d9%86%d8%b8%d9%8a%d9%85-%d9%83%d8%a3%d8%b3-%d8%a7%d9%84%d8%b9%d8%a7%d9%84%d9%85-2034/?amp=1',
 'السعودية تفوز بتنظيم كأس العالم 2034','زيورخ في 11 ديسمبر /أ ش أ/ أعلن الاتحاد الدولي لكرة القدم "فيفا"، اليوم /الأربعاء/، فوز المملكة العربية السعودية بتنظيم بطولة كأس العالم 2034.','2024-12-11','text')
I('wc34_nile','Nile.eg','https://nile.eg/%d8%a7%d9%84%d8%b3%d8%b9%d9%88%d8%af%d9%8a%d8%a9-%d8%aa%d9%81%d9%88%d8%b2-%d8%a8%d8%aa%d9%86%d8%b8%d9%8a%d9%85-%d9%83%d8%a3%d8%b3-%d8%a7%d9%84%d8%b9%d8%a7%d9%84%d9%85-2034',
 'السعودية تفوز بتنظيم كأس العالم 2034','أعلن الاتحاد الدولي لكرة القدم (فيفا)، اليوم الأربعاء، فوز المملكة العربية السعودية بتنظيم بطولة كأس العالم 2034.','2024-12-11','knowledge')
I('wc34_lebjawi','Lebjawi','https://lebjawi.info/?q=node%2F26319','رسميًا.. السعودية تستضيف كأس العالم 2034',
 'أعلن الاتحاد الدولي لكرة القدم “فيفا”، فوز المملكة العربية السعودية، بتنظيم بطولة كأس العالم 2034','2024-12-11','knowledge')
I('wc34_bid_alraees','Al Raees News (keyword page)','https://alraeesnews.com/keyword/25251','السعودية تسلم "فيفا" ملف استضافة كأس العالم 2034',
 'كشف الاتحاد السعودي لكرة القدم، استكمال الإجراءات النهائية، لملف استضافة كأس العالم لكرة القدم 2034، بعد تسليم الملف الرسمي لـ"فيفا" في العاصمة الفرنسية باريس','2024-07','knowledge (bid book handed over in Paris, late July 2024)')
# Libya: Ghnewa killed, Tripoli clashes 12 May 2025
I('ly_ghnewa_number1','Number1 News','https://number1.news/2025/05/13/%D9%85%D9%82%D8%AA%D9%84-%D8%BA%D9%86%D9%8A%D9%88%D8%A9-%D9%81%D9%8A-%D9%82%D9%84%D8%A8-%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3-%D8%A7%D8%B4%D8%AA%D8%A8%D8%A7%D9%83%D8%A7%D8%AA-%D8%B9%D9%86%D9%8A%D9%81',
 'مقتل غنيوة في قلب طرابلس: اشتباكات عنيفة تهز العاصمة الليبية','قُتل عبد الغني الككلي، رئيس جهاز دعم الاستقرار التابع للمجلس الرئاسي، والمعروف بـ”غنيوة”، في اشتباكات مسلحة عنيفة اندلعت مساء اليوم الإثنين في منطقة أبو سليم بطرابلس.','2025-05-12','text (Monday evening) + url 2025-05-13')
I('ly_ghnewa_egypress','Egy Press','https://www.egy-press.com/125062','اشتباكات عنيفة في طرابلس.. وأنباء عن مقتل عبد الغني الككلي رئيس جهاز دعم الاستقرار',
 'وذكرت تقارير إعلامية أن اشتباكات عنيفة اندلعت في طرابلس بعد ورود أنباء عن مقتل رئيس جهاز الاستقرار بالمجلس الرئاسي الليبي عبد الغني الككلي المعروف بـ”غنيوة”.','2025-05-12','knowledge')
I('ly_ghnewa_mashhadnews','Al Mashhad News','https://www.almashhadnews.com/318451','اغتيال قائد أمني بارز يشعل طرابلس ويثير الذعر',
 'شهدت العاصمة الليبية طرابلس تصعيداً أمنياً خطيراً، بعد إعلان مصادر متطابقة عن مقتل عبد الغني الككلي، المعروف بلقب "غنيوة"، قائد جهاز دعم الاستقرار التابع للمجلس الرئاسي.','2025-05-12','knowledge')
I('ly_ghnewa_alweeam','Alweeam','https://www.alweeam.com.sa/1158237/2025/%D8%A7%D8%B4%D8%AA%D8%A8%D8%A7%D9%83%D8%A7%D8%AA-%D8%B9%D9%86%D9%8A%D9%81%D8%A9-%D9%81%D9%8A-%D8%A7%D9%84%D8%B9%D8%A7%D8%B5%D9%85%D8%A9-%D8%A7%D9%84%D9%84%D9%8A%D8%A8%D9%8A%D8%A9/',
 'اشتباكات عنيفة في العاصمة الليبية','قُتل رئيس جهاز دعم الاستقرار التابع للمجلس الرئاسي الليبي، عبدالغني الككلي المعروف بـ”غنيوة”، مساء الإثنين، خلال اشتباكات اندلعت في العاصمة طرابلس، وسط تحشيدات أمنية وتحركات عسكرية متزايدة.','2025-05-12','url (2025) + text (Monday) + knowledge')
I('ly_ghnewa_nwe','NWE Prices (blog)','https://www.nwe-prices.com/2025/05/blog-post_840.html','طرابلس على صفيح ساخن: اغتيال "غنيوة الككلي" يشعل فتيل اشتباكات عنيفة ويُدخل العاصمة في دوامة جديدة من الفوضى الأمنية',
 'شهدت العاصمة الليبية طرابلس، مساء يوم الاثنين الموافق 12 مايو 2025، تطورات أمنية خطيرة ومفاجئة، تمثلت في مقتل القيادي البارز ورئيس جهاز دعم الاستقرار، عبد الغني الككلي المعروف بـ "غنيوة".','2025-05-12','text')
I('ly_calm_amman','Amman Alyoum','https://ammanalyoum.com/libya-news/2571200.html','هدوء حذر في طرابلس بعد ليلة من الاشتباكات العنيفة',
 'عاد الهدوء الحذر إلى شوارع العاصمة طرابلس بعد ليلة من الاشتباكات الدامية التي اندلعت على خلفية مقتل عبد الغني الككلي “غنيوة” مساء الاثنين في طرابلس.','2025-05-13','text (morning after Monday clashes)')
# Sudan: RSF takes 6th Division HQ, El Fasher 26 Oct 2025
I('sd_fasher_buratha','Buratha News','http://burathanews.com/arabic/international/466968','السودان: الدعم السريع تعلن سيطرتها على الفرقة السادسة بالفاشر',
 'أعلنت قوات "الدعم السريع" السودانية اليوم الأحد سيطرتها على الفرقة السادسة في مدينة الفاشر بولاية شمال دارفور','2025-10-26','text (date 2025-10-26)')
I('sd_fasher_fana','Fana News','https://www.fananews.com/?p=673914','(الدعم السريع) تعلن السيطرة على آخر معاقل الجيش السوداني في (الفاشر)',
 'أعلنت (قوات الدعم السريع) اليوم الأحد سيطرتها على مقر قيادة الفرقة السادسة بالجيش في مدينة (الفاشر) آخر معاقل القوات المسلحة في إقليم (دارفور) غربي السودان.','2025-10-26','text (KUNA 26-10)')

P('same','lb_aoun_misrnow','lb_aoun_shfa','paraphrase','events: Lebanese parliament elects Joseph Aoun president with 99 votes [2025-01-09] both')
P('same','lb_aoun_elikaa','lb_aoun_shfa','paraphrase','events: Joseph Aoun elected president of Lebanon [2025-01-09] both')
P('same','lb_salam_oujda','lb_salam_mashhad','paraphrase','events: Nawaf Salam designated to form Lebanese government [2025-01-13] both')
P('different','lb_salam_mashhad','lb_aoun_misrnow','same_place','events: Aoun designates Nawaf Salam as PM [2025-01-13] vs parliament elects Aoun president [2025-01-09]')
P('different','lb_aoun_elikaa','lb_salam_oujda','same_person','events: Aoun elected president [2025-01-09] vs President Aoun tasks Salam with forming government [2025-01-13]')
P('same','wc34_almkal','wc34_nile','paraphrase','events: FIFA awards Saudi Arabia 2034 World Cup [2024-12-11] both')
P('same','wc34_lebjawi','wc34_almkal','paraphrase','events: FIFA awards Saudi Arabia 2034 World Cup [2024-12-11] both')
P('different','wc34_bid_alraees','wc34_nile','follow_up','events: Saudi hands 2034 bid book to FIFA in Paris [2024-07] vs FIFA awards 2034 World Cup to Saudi [2024-12-11]')
P('same','ly_ghnewa_number1','ly_ghnewa_egypress','paraphrase','events: Ghnewa al-Kikli killed, Tripoli clashes [2025-05-12] both')
P('same','ly_ghnewa_mashhadnews','ly_ghnewa_alweeam','paraphrase','events: Ghnewa al-Kikli killed, Tripoli clashes [2025-05-12] both')
P('same','ly_ghnewa_nwe','ly_ghnewa_number1','paraphrase','events: Ghnewa al-Kikli killed, Tripoli clashes [2025-05-12] both')
P('different','ly_calm_amman','ly_ghnewa_alweeam','follow_up','events: cautious calm returns to Tripoli [2025-05-13] vs Ghnewa killed, clashes erupt [2025-05-12]')
P('same','sd_fasher_buratha','sd_fasher_fana','paraphrase','events: RSF claims capture of 6th Infantry Division HQ in El Fasher [2025-10-26] both')
