# Sudan: palace recaptured 21 Mar 2025
I('sd_palace_lebjawi','Lebjawi','https://lebjawi.info/?page=3&q=hsd','الجيش السوداني يعلن استعادة القصر الجمهوري من ميليشيات الدعم السريع',
 'أعلن الجيش السوداني صباح اليوم استعادة القصر الجمهوري في الخرطوم من قبضة ميليشيات الدعم السريع، التي كانت تسيطر عليه منذ أبريل 2023.','2025-03-21','knowledge')
I('sd_palace_ahdaath','Al Ahdaath (Sudan)','https://alahdaathnews.com/%d8%b9%d8%a7%d8%ac%d9%84-%d8%a7%d9%84%d8%ac%d9%8a%d8%b4-%d9%8a%d8%ad%d8%b1%d8%b1-%d8%a7%d9%84%d9%82%d8%b5%d8%b1','عاجل… الجيش يحرر القصر',
 'أفلح الجيش السوداني، صباح الجمعة، في تحرير القصر الجمهوري في وسط العاصمة الخرطوم من قبضة مليشيا الدعم السريع.','2025-03-21','text (Friday) + knowledge')
# Sudan: drone strikes on Port Sudan airport fuel tanks, Tue 6 May 2025
I('sd_psudan_albalad','Akhbar Al Balad (Jordan)','https://albaladnews.net/article/426766','السودان.. انفجارات قوية في مطار بورتسودان إثر استهداف مسيرات لخزانات الوقود',
 'تعرض مطار بورتسودان الدولي فجر الثلاثاء، لهجوم بطائرات مسيرة انتحارية يعتقد أنها تابعة لقوات الدعم السريع، وسمعت أصوات انفجارات عدة من المكان.','2025-05-06','text (Tuesday) + knowledge')
I('sd_psudan_thawabit','Thawabit','https://www.thawabit.net/?p=33447','هجوم بطائرات مسيرة يستهدف مطار بورتسودان السوداني ويؤدي إلى انفجارات وحرائق',
 'قالت مصادر مطار بورتسودان السوداني للجزيرة إن طائرة مسيرة هاجمت خزانات الوقود داخل المطار، مما أدى إلى انفجار ونشوب حريق.','2025-05-06','knowledge')
I('sd_psudan_yemenvibe','Yemen Vibe','https://yemenvibe.com/news-article/إلغاء-الرحلات-الجوية-بورتسودان-استهدافه-بمسيرة.html','إلغاء الرحلات الجوية في مطار بورتسودان بعد استهدافه بمسيرة',
 'أدت ضربة جوية بمسيّرة، اليوم الثلاثاء، على مطار بورتسودان إلى إلغاء كل الرحلات الجوية المجدولة، وفق ما أفاد مسؤول في المطار.','2025-05-06','text (Tuesday, two days after Sunday base attack) + knowledge')
I('sd_psudan_mosaique','Mosaique FM','https://www.mosaiquefm.net/amp/ar/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85%D9%8A%D8%A9/1410466/{{googlePlay}}','السودان: قوات الدعم السريع تقصف مستودعات الوقود ومطار بورتسودان',
 'قامت طائرة مسيرة بقصف خزانات وقود داخل مطار بورتسودان السوداني، مما تسبب في انفجار واندلاع حريق.','2025-05-06','text (depot attack "yesterday Monday 5 May 2025")')
I('sd_psudan_defaa','Al Defaa Al Arabi','https://aldefaaalarabi.com/show46088','مسيرات الدعم السريع تستهدف منشآت فى بورتسودان',
 'كشفت وسائل إعلام سودانية، عن قصف ميليشيا الدعم السريع لمنشآت حيوية في بورتسودان، عن طريق مسيرات انتحارية، لليوم الثالث على التوالي، اليوم الثلا[ثاء]','2025-05-06','text (third consecutive day, Tuesday) + knowledge')
# Sudan: El Fasher Saudi hospital massacre 28-29 Oct 2025; earlier drone strike on same hospital Jan 2025
I('sd_hosp_veto','Vetogate','https://www.vetogate.com/5523055','مجزرة الفاشر، تصفية جرحى داخل المستشفى السعودي على يد مليشيا الدعم السريع (فيديو)',
 'تداول ناشطون عبر مواقع التواصل مقطع فيديو يوثق، وفق روايتهم، تصفية عشرات الجرحى والمصابين داخل المستشفى السعودي بمدينة الفاشر في ولاية شمال دارفور، عقب سيطرة ميلشيا الدعم السريع على المدينة.','2025-10-29','text')
I('sd_hosp_mashhadye','Al Mashhad Al Yemeni','https://www.almashhad.news/350366','مجزرة مروعة.. مليشيا الدعم السريع تقوم بإعدام كل المرضى ومرافقيهم داخل المستشفى السعودي بالفاشر',
 'كشفت منظمة الصحة العالمية عن مقتل 460 شخصاً داخل المستشفى السعودي بمدينة الفاشر عاصمة شمال دارفور، بعد سيطرة مليشيات الدعم السريع على المنشأة الصحية، في حادثة وصفتها المنظمة الدولية بأنها تثير "الصدمة والفزع".','2025-10-29','text')
I('sd_hosp_ajm','Al Jazeera Mubasher','https://www.aljazeeramubasher.net/news/2025/10/29/%D9%85%D8%AC%D8%B2%D8%B1%D8%A9-%D9%85%D8%B1%D9%88%D8%B9%D8%A9-%D9%81%D9%8A-%D8%A7%D9%84%D9%81%D8%A7%D8%B4%D8%B1-%D9%84%D8%AC%D8%A7%D9%86-%D8%A7%D9%84%D9%85%D9%82%D8%A7%D9%88%D9%85%D8%A9',
 'مجزرة مروعة في الفاشر.. لجان المقاومة','اتهمت “تنسيقية لجان المقاومة في مدينة الفاشر” قوات الدعم السريع بارتكاب جريمة وصفتها بأنها “مروعة”، بعد أن قامت بتصفية جميع المصابين داخل المستشفى السعودي بجامعة الفاشر، على حد وصفها.','2025-10-29','url')
I('sd_hosp_resalah','Al Resalah','https://www.alresalah.ws/%d8%a7%d9%84%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/%d9%85%d9%8a%d9%84%d9%8a%d8%b4%d9%8a%d8%a7-%d8%a7%d9%84%d8%af%d8%b9%d9%85-%d8%a7%d9%84%d8%b3%d8%b1%d9%8a%d8%b9-%d8%a7%d9%84%d8%b3%d9%88%d8%af%d8%a7%d9%86%d9%8a%d8%a9-%d9%82%d8%aa%d9%84%d8%aa-%d8%b9/20433',
 'مذبحة في الفاشر والمستشفى السعوي: تقارير أممية ومصادر طبية','ذكرت تقارير أن ميليشيا قوات الدعم السريع أعدمت مئات المدنيين داخل المستشفى الرئيسي في مدينة الفاشر، بعد أيام قليلة من سيطرتها على المدينة، وفق ما أفاد رئيس وكالة الصحة التابعة للأمم المتحدة.','2025-10-29','knowledge (WHO 460 dead statement)')
I('sd_hosp_lbc','LBCI','https://www.lbcgroup.tv/news/world/887426/%D8%B1%D9%88%D9%8A%D8%AA%D8%B1%D8%B2-%D9%85%D8%AE%D8%A7%D9%88%D9%81-%D9%85%D9%86-%D9%85%D9%82%D8%AA%D9%84-%D9%85%D8%A6%D8%A7%D8%AA-%D9%81%D9%8A-%D8%A7%D9%82%D8%AA%D8%AD%D8%A7%D9%85-%D8%A2%D8%AE%D8%B1-%D9%85%D8%B3%D8%AA%D8%B4%D9%81%D9%89-%D8%B9%D8%A7%D9%85%D9%84-%D8%A8%D8%A7%D9%84%D9%81%D8%A7%D8%B4%D8%B1-%D9%81%D9%8A-%D8%A7%D9%84%D8%B3%D9%88%D8%AF%D8%A7%D9%86/ar',
 'رويترز: مخاوف من مقتل مئات في اقتحام آخر مستشفى عامل بالفاشر في السودان','أعلنت منظمة الصحة العالمية ومسؤول سوداني أن آخر مستشفى يعمل في مدينة الفاشر السودانية تعرض للاقتحام ويُخشى أن يكون المئات قد قُتلوا هناك بعد أن اجتاحت قوات شبه عسكرية المدينة هذا الأسبوع.','2025-10-30','text (date 2025-10-30)')
I('sd_hosp_jan_sarmad','Sarmad','https://sarmad.com/259930','مجزرة في مستشفى «السعودي» بالفاشر جراء قصف الدعم السريع',
 'لقي ما لا يقل عن 70 شخصا حتفهم وأصيب العشرات في قصف صاروخي من طائرة مسيرة تابعة لقوات الدعم السريع صوب مستشفى «السعودي» بمدينة الفاشر عاصمة ولاية شمال دارفور.','2025-01-25','knowledge (drone strike on Saudi hospital, 70 dead, late Jan 2025)')
I('sd_hosp_aj_nov4','Al Jazeera Net','https://www.aljazeera.net/politics/2025/11/4/%D8%A3%D9%8A%D9%86-%D8%A7%D9%84%D8%AC%D8%AB%D8%AB-%D9%85%D8%B5%D9%8A%D8%B1-%D9%85%D8%AC%D9%87%D9%88%D9%84-%D9%84%D8%B6%D8%AD%D8%A7%D9%8A%D8%A7-%D9%85%D8%AC%D8%B2%D8%B1%D8%A9',
 'أين الجثث؟ مصير مجهول لضحايا مجزرة','في أحد أركان مخيم النزوح بمدينة طويلة، 68 كلم غربي الفاشر عاصمة شمال دارفور، تجلس السيدة فاطمة عبد الله على قطعة قماش مهترئة','2025-11-04','url')

P('same','sd_palace_lebjawi','sd_palace_ahdaath','paraphrase','events: Sudanese army retakes Republican Palace in Khartoum [2025-03-21] both')
P('same','sd_psudan_albalad','sd_psudan_thawabit','paraphrase','events: drones hit fuel tanks at Port Sudan airport [2025-05-06] both')
P('same','sd_psudan_yemenvibe','sd_psudan_mosaique','paraphrase','events: drone strike on Port Sudan airport, flights cancelled [2025-05-06] both')
P('same','sd_psudan_defaa','sd_psudan_albalad','paraphrase','events: RSF drones hit Port Sudan facilities/airport, third day [2025-05-06] both')
P('same','sd_hosp_veto','sd_hosp_mashhadye','paraphrase','events: RSF kills patients in Saudi hospital El Fasher [2025-10-29] both')
P('same','sd_hosp_ajm','sd_hosp_resalah','paraphrase','events: RSF massacre at Saudi hospital El Fasher [2025-10-29] both')
P('same','sd_hosp_lbc','sd_hosp_veto','paraphrase','events: hundreds feared killed at El Fasher Saudi hospital [2025-10-29/30] (Reuters-WHO update vs video report, within ~1 day)')
P('different','sd_hosp_jan_sarmad','sd_hosp_veto','same_place','events: RSF drone strike kills 70 at Saudi hospital El Fasher [2025-01] vs RSF executes patients in same hospital [2025-10-29]')
P('different','sd_hosp_jan_sarmad','sd_hosp_mashhadye','same_place','events: drone strike on El Fasher Saudi hospital, 70 dead [2025-01] vs 460 killed in same hospital after RSF takeover [2025-10-29]')
P('different','sd_hosp_veto','sd_fasher_buratha','follow_up','events: Saudi hospital massacre El Fasher [2025-10-29] vs RSF takes 6th Division HQ El Fasher [2025-10-26]')
P('different','sd_hosp_aj_nov4','sd_hosp_resalah','follow_up','events: feature on missing bodies of hospital massacre victims [2025-11-04] vs massacre reported [2025-10-29]')
P('different','sd_psudan_thawabit','sd_palace_ahdaath','same_place','events: drones hit Port Sudan airport [2025-05-06] vs army retakes Khartoum palace [2025-03-21]')
P('different','sd_palace_lebjawi','sd_fasher_fana','same_event_type','events: army retakes Khartoum palace from RSF [2025-03-21] vs RSF seizes army 6th Division HQ El Fasher [2025-10-26]')
P('different','sd_psudan_mosaique','sd_fasher_buratha','same_place','events: RSF drones hit Port Sudan airport [2025-05-06] vs RSF takes El Fasher 6th Division [2025-10-26]')
