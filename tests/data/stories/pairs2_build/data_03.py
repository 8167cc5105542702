# Kuwait Mangaf fire 12 Jun 2024
I('kw_fire_ab','Arabian Business Arabic','https://arabic.arabianbusiness.com/arab-world-news/kuwait-news/%d8%ad%d8%b1%d9%8a%d9%82-%d9%87%d8%a7%d8%a6%d9%84-%d9%81%d9%8a-%d8%a7%d9%84%d9%83%d9%88%d9%8a%d8%aa',
 'حريق هائل في الكويت','شهدت منطقة المنقف جنوب الكويت فاجعة مروعة صباح اليوم الأربعاء، حيث اندلع حريق هائل في مبنى سكني للعمال، مخلفًا وراءه أكثر من 41 حالة وفاة وعشرات الإصابات.','2024-06-12','text (Wednesday) + knowledge')
I('kw_fire_alomah','Al Omah','https://alomah.net/%d8%aa%d9%81%d8%a7%d8%b5%d9%8a%d9%84-%d8%ad%d8%b1%d9%8a%d9%82-%d8%a7%d9%84%d9%85%d9%86%d9%82%d9%81-%d9%81%d9%8a-%d8%a7%d9%84%d9%83%d9%88%d9%8a%d8%aa-%d9%88%d9%81%d8%a7%d8%a9-40-%d9%87%d9%86%d8%af',
 'تفاصيل حريق المنقف في الكويت وفاة 40 هنديا','فقد ما لا يقل عن 40 هنديًا من بين 41 شخصًا حياتم يوم الأربعاء في منطقة المنقف خلال حريق كبير في مبنى يسكن فيه العمال في الكويت.','2024-06-12','text (Wednesday) + knowledge')
I('kw_fire_emtoday','Emirate Today','https://emiratetoday.com/world/%D9%85%D8%A7-%D9%84%D8%A7-%D9%8A%D9%82%D9%84-%D8%B9%D9%86-49-%D9%82%D8%AA%D9%8A%D9%84%D8%A7-%D9%81%D9%8A-%D8%AD%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D9%85%D8%A8%D9%86%D9%89/',
 'ما لا يقل عن 49 قتيلا في حريق المبنى','توفي ما لا يقل عن 49 شخصا، الأربعاء 12 يونيو/حزيران، في الكويت، في حريق اندلع في مبنى يسكنه عمال أجانب في ضاحية المنقف الواقعة جنوب العاصمة الكويتية، بحسب تقرير أعلنته وزارة الداخلية.','2024-06-12','text')
I('kw_fire_wikikw','WikiKuwait','https://wikikuwait.net/%D8%AD%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D9%85%D9%86%D9%82%D9%81/','سبب وتفاصيل حريق المنقف اليوم في الكويت 2024',
 'شهدت منطقة المنقف جنوب الكويت حريقًا شب في أحد الأبنية التي تضم عمالًا، وقد خلّفت هذه الفاجعة عشرات الوفيات والإصابات من العمال المقيمين في البناء','2024-06-12','text')
# Crocus City Hall attack 22 Mar 2024
I('crocus_fana','Fana News','https://www.fananews.com/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7-%D9%82%D8%AA%D9%84%D9%89-%D9%88%D8%AC%D8%B1%D8%AD%D9%89-%D9%81%D9%8A-%D9%87%D8%AC%D9%88%D9%85-%D8%B9%D9%84%D9%89-%D9%85%D8%A8%D9%86%D9%89-%D9%84%D9%84%D8%AD%D9%81%D9%84/',
 'روسيا: قتلى وجرحى في هجوم على مبنى للحفلات الموسيقية في موسكو','أفادت وسائل إعلام روسية بأن إطلاق نار وانفجارا وقعا مساء اليوم الجمعة داخل مبنى للحفلات الموسيقية قرب العاصمة موسكو أثناء عرض موسيقي ما أدى لوقوع عدد من الضحايا بين قتيل وجريح.','2024-03-22','text (KUNA 22-3)')
I('crocus_newstn','News.tn','https://cms.news.tn/posts/%D8%A8%D8%A7%D9%84%D8%B5%D9%88%D8%B1-%D8%A7%D9%84%D9%87%D8%AC%D9%88%D9%85-%D8%B9%D9%84%D9%89-%D9%82%D8%A7%D8%B9%D8%A9-%D8%A7%D9%84%D8%AD%D9%81%D9%84%D8%A7%D8%AA-%D8%A7%D9%84%D9%85%D9%88%D8%B3%D9%8A',
 'بالصور.. الهجوم على قاعة الحفلات الموسيقية','اقتحم مسلحون يرتدون ملابس مموهة ويحملون أسلحة آلية قاعة حفلات مكتظة بالقرب من موسكو، حيث كان من المقرر أن تؤدي فرقة الروك المخضرمة بيكنيك حفلا، وأطلقوا النار على الحشد وفجروا عبوات ناسفة، مما أدى إلى اشتعال النار في المبنى. وأدى الهجوم على قاعة مدينة كروكوس يوم الجمعة إلى مقتل ما لا يقل عن 115 شخصا','2024-03-23','knowledge (toll 115 reported Saturday)')
I('crocus_annahar','Annahar','https://annahar.com/arabic/section/10-دوليات/312085/شركة-روسية-تتعهد-بترميم-قاعة-الحفلات-التي-هاجمها-داعش','شركة روسية تتعهد بترميم قاعة الحفلات التي هاجمها داعش',
 'أعلنت اليوم مجموعة "كروكوس" الروسية المالكة لقاعة الحفلات الموسيقية التي دُمرت في هجوم بالرصاص وحريق أوديا بحياة ما لا يقل عن 133 شخصاً يوم الجمعة إنها ستعيد ترميم المبنى.','2024-03-24','text (statement on Sunday)')
# Kerman bombings 3 Jan 2024
I('kerman_turkeyalaan','Turkey Alaan','https://turkeyalaan.net/2024/01/03/73-%d9%82%d8%aa%d9%8a%d9%84%d8%a7%d9%8b-%d9%88171-%d9%85%d8%b5%d8%a7%d8%a8%d9%8b%d8%a7-%d8%a8%d8%a7%d9%86%d9%81%d8%ac%d8%a7%d8%b1%d9%8a%d9%86-%d9%81%d9%8a-%d8%a5%d9%8a%d8%b1%d8%a7%d9%86',
 '73 قتيلاً و171 مصابًا بانفجارين في إيران','أفادت تقارير إيرانية بوقوع انفجارين متتاليين قرب ضريح الجنرال قاسم سليماني في محافظة كرمان، مما أدى إلى مقتل 73 شخصًا وإصابة 171 آخرين.','2024-01-03','url')
I('kerman_tuntel','Tunisie Telegraph','https://tunisie-telegraph.com/a-la-une/%d9%85%d9%82%d8%aa%d9%84-%d8%a7%d9%84%d8%b9%d8%b4%d8%b1%d8%a7%d8%aa-%d9%81%d9%8a-%d8%a5%d9%86%d9%81%d8%ac%d8%a7%d8%b1%d9%8a%d9%86-%d9%81%d9%8a-%d9%85%d8%af%d9%8a%d9%86%d8%a9-%d9%83%d8%b1%d9%85%d8%a7',
 'مقتل العشرات في إنفجارين في مدينة كرمان','قُتل ما لا يقل عن 100 شخصًا في انفجار قنبلتين بالقرب من قبر الجنرال الإيراني قاسم سليماني في الذكرى الرابعة لاغتياله على يد الولايات المتحدة، حسبما ذكرت وسائل الإعلام الرسمية الإيرانية.','2024-01-03','text (4th anniversary) + knowledge')
I('kerman_athr','Athr Press','https://athrpress.com/%D8%B9%D8%B4%D8%B1%D8%A7%D8%AA-%D8%A7%D9%84%D8%B6%D8%AD%D8%A7%D9%8A%D8%A7-%D8%AC%D8%B1%D8%A7%D8%A1-%D8%A7%D9%86%D9%81%D8%AC%D8%A7%D8%B1%D8%A7%D9%86-%D9%81%D9%8A-%D9%83%D8%B1%D9%85%D8%A7%D9%86-%D8%AC/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9',
 'عشرات الضحايا جراء انفجاران في كرمان جنوب إيران','قضى عشرات المدنيين وأُصيب آخرون، جراء انفجارين اثنين وقعا في مدينة كرمان بالقرب من مرقد قائد فيلق القدس، الفريق قاسم سليماني، الذي اغتالته واشنطن في 3 كانون الثاني 2020 في العاصمة العراقية بغداد.','2024-01-03','knowledge')
I('kerman_elfagr','El Fagr','https://elfagr.org/4846544','إيران: ارتفاع حصيلة الانفجار الدموي بالقرب من مدفن قاسم سليماني في محافظة كرمان',
 'قتل وأصيب العشرات في تفجير إرهابي خارج مرقد قاسم سليماني يمحافظة كرمان الإيرانية، وأفادت مصادر أمنية رسمية بأن التفجير نجم عن حقيبتين تحتويان على عبوات ناسفة.','2024-01-03','text (Wednesday, 4th anniversary)')

P('same','kw_fire_ab','kw_fire_alomah','paraphrase','events: Mangaf (Kuwait) workers building fire kills 41+ [2024-06-12] both')
P('same','kw_fire_emtoday','kw_fire_wikikw','paraphrase','events: Mangaf (Kuwait) workers building fire [2024-06-12] both')
P('same','kw_fire_ab','kw_fire_emtoday','paraphrase','events: Mangaf (Kuwait) workers building fire, 41 vs 49 dead [2024-06-12] both')
P('different','crocus_annahar','crocus_fana','follow_up','events: Crocus owner pledges to rebuild hall [2024-03-24] vs gunmen attack Moscow concert hall [2024-03-22]')
P('different','crocus_newstn','crocus_fana','follow_up','events: Crocus attack toll 115 + photos [2024-03-23] vs first reports of Moscow concert hall attack [2024-03-22] (doubtful: recap of same attack)')
P('same','kerman_turkeyalaan','kerman_athr','paraphrase','events: twin blasts near Soleimani tomb in Kerman, 73 dead [2024-01-03] both')
P('same','kerman_tuntel','kerman_elfagr','paraphrase','events: twin blasts near Soleimani tomb in Kerman, ~100 dead [2024-01-03] both')
P('same','kerman_turkeyalaan','kerman_elfagr','paraphrase','events: twin blasts near Soleimani tomb in Kerman, 73 vs 103 dead [2024-01-03] both')
P('different','kerman_tuntel','crocus_fana','same_event_type','events: IS-claimed bombing Kerman [2024-01-03] vs IS-claimed Crocus hall attack Moscow [2024-03-22]')
P('different','crocus_newstn','kerman_athr','same_event_type','events: Crocus hall attack [2024-03-22/23] vs Kerman twin blasts [2024-01-03]')
