# Syria: Sweida clashes 13-14 Jul 2025
I('sy_sweida_ksaup','KSA Up','https://ksaup.com/32066/ارتفاع-قتلى-الاشتباكات-في-السويداء-إل','ارتفاع قتلى الاشتباكات في السويداء إلى 37 ضحية بين البدو والدروز',
 'ارتبطت محافظة السويداء في سوريا بأحداث عنيفة خلال الساعات الماضية بعد تأزم الصراع بين البدو والدروز، مما أدى إلى ارتفاع عدد القتلى إلى 37.','2025-07-14','knowledge (37 dead reported 14 Jul)')
I('sy_sweida_megaphone','Megaphone','https://megaphone.news/cards/%D8%A7%D9%84%D8%B3%D9%88%D9%8A%D8%AF%D8%A7%D8%A1-37-%D9%82%D8%AA%D9%8A%D9%84%D8%A7%D9%8B-%D9%81%D9%8A-%D8%A7%D9%84%D8%A7%D8%B4%D8%AA%D8%A8%D8%A7%D9%83%D8%A7%D8%AA-%D8%A8%D9%8A%D9%86-%D8%A7%D9%84%D8%B9%D8%B4%D8%A7%D8%A6%D8%B1-%D9%88%D8%A7%D9%84%D9%81%D8%B5%D8%A7%D8%A6%D9%84-%D8%A7%D9%84%D8%AF%D8%B1%D8%B2%D9%8A%D9%91%D8%A9',
 'السويداء: 37 قتيلاً في الاشتباكات بين العشائر والفصائل الدرزيّة','أعلنت وزارة الداخلية السوريّة، صباح اليوم الاثنين، بدء التدخّل ونشر قوّاتها لوقف التصعيد في مناطق الاشتباكات بين العشائر وفصائل درزيّة مسلّحة في السويداء. وقُتل إثر الاشتباكات 37 شخصاً على الأقل من بدو السويداء والمجموعات الدرزيّة','2025-07-14','text (Monday; clashes began Sunday) + knowledge')
I('sy_sweida_anbaa','Anbaa Express','https://anbaaexpress.ma/2025/07/فيديو-الجيش-السوري-يتدخل-في-السويداء-ل','فيديو: الجيش السوري يتدخل في السويداء لبسط سيطرة الدولة',
 'دفعت السلطات السورية بتعزيزات عسكرية إلى محافظة السويداء جنوب البلاد، لبسط سيطرة الدولة ونزع سلاح الفصائل المسلحة، بعد اندلاع اشتباكات عنيفة بين مجموعات من أبناء الطائفتين الدرزية والبدوية.','2025-07-14','url (2025/07) + knowledge')
# Morocco U20 semi-final vs France 15 Oct 2025
I('ma_semi_dotkhalij','Dot Al Khalij','https://dotalkhalij.com/sport/29960369/%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-%D8%A5%D9%84%D9%89-%D9%86%D9%87%D8%A7%D8%A6%D9%8A-%D9%83%D8%A3%D8%B3-%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D9%84%D9%84%D8%B4%D8%A8%D8%A7%D8%A8.html',
 'المغرب إلى نهائي كأس العالم للشباب','بلغ منتخب المغرب نهائي كأس العالم للشباب تحت 20 عاما بفوزه بركلات الترجيح 5-4 على فرنسا بعد انتهاء الوقتين الأصلي والإضافي بالتعادل 1-1 في نصف نهائي المنافسة.','2025-10-15','knowledge')
I('ma_semi_khaberni','MENAFN (Khaberni)','https://menafn.com/arabic/1110203255/%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-%D9%8A%D9%82%D8%B5%D9%8A-%D9%81%D8%B1%D9%86%D8%B3%D8%A7-%D9%88%D9%8A%D8%A8%D9%84%D8%BA-%D9%86%D9%87%D8%A7%D9%8A%D9%94%D9%8A-%D9%85%D9%88%D9%86%D8%AF%D9%8A%D8%A7%D9%84-%D8%A7%D9%84%D8%B4%D8%A8%D8%A7%D8%A8',
 'المغرب يقصي فرنسا ويبلغ نهائي مونديال الشباب','تأهل المنتخب المغربي، الخميس، إلى نهائي بطولة كأس العالم للشباب لكرة القدم المقامة في تشيلي بعد فوزه على فرنسا بركلات الترجيح في مباراة نصف النهائي.','2025-10-15','text (2025-10-15)')
I('ma_semi_albayan','MENAFN (Al Bayan)','https://menafn.com/arabic/1110203236/%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-%D9%8A%D8%A8%D9%84%D8%BA-%D9%86%D9%87%D8%A7%D9%8A%D9%94%D9%8A-%D9%83%D8%A7%D9%94%D8%B3-%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D9%84%D9%84%D8%B4%D8%A8%D8%A7%D8%A8-%D8%A8%D9%81%D9%88%D8%B2%D9%87-%D8%B9%D9%84%D9%89-%D9%81%D8%B1%D9%86%D8%B3%D8%A7-%D8%A8%D8%B1%D9%83%D9%84%D8%A7%D8%AA-%D8%A7%D9%84%D8%AA%D8%B1%D8%AC%D9%8A%D8%AD',
 'المغرب يبلغ نهائي كأس العالم للشباب بفوزه على فرنسا بركلات الترجيح','تأهل منتخب المغرب إلى نهائي كأس العالم للشباب تحت 20 عاما، بعدما تغلب على نظيره الفرنسي بركلات الترجيح بنتيجة 5 / 4.','2025-10-15','knowledge')
I('ma_semi_nissaa','Nissaa.ma','https://nissaa.ma/flash-news/news/%d8%a7%d9%84%d9%85%d8%ba%d8%b1%d8%a8-%d8%a5%d9%84%d9%89-%d9%86%d9%87%d8%a7%d8%a6%d9%8a-%d9%85%d9%88%d9%86%d8%af%d9%8a%d8%a7%d9%84-%d8%a7%d9%84%d8%b4%d8%a8%d8%a7%d8%a8',
 'المغرب إلى نهائي مونديال الشباب','حقق المنتخب الوطني المغربي لأقل من 20 سنة إنجازا تاريخيا بتأهله الى نهائي كأس العالم لكرة القدم في الشيلي عقب تفوقه على المنتخب الفرنسي بنتيجة ( 5-4 ) بعد الاحتكام الى الضربات الترجيحية','2025-10-15','knowledge')
# Iraq: Hamdaniya wedding hall fire 26-27 Sep 2023
I('iq_ham_hathalyoum','Hathalyoum (Euronews)','https://hathalyoum.net/amp/3240521','العراق: زفاف يتحول إلى مأساة.. مئة قتيل على الأقل بحريق شب في قاعة أعراس في نينوى',
 'قُتل مئة شخص على الأقلّ وأصيب أكثر من 150 آخرين بجروح في حريق اندلع بقاعة للأعراس في بلدة الحمدانية بمحافظة نينوى في شمال العراق خلال حفل زفاف، بحسب ما أعلنت السلطات فجر الأربعاء.','2023-09-27','text (updated 2023-09-27)')
I('iq_ham_alaraby','Al Araby Al Jadeed','https://www.alaraby.com/gallery/%D9%85%D8%A3%D8%B3%D8%A7%D8%A9-%D9%81%D9%8A-%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82-%D8%B5%D9%88%D8%B1-%D8%AA%D9%88%D8%AB%D9%82-%D8%A7%D9%84%D8%AF%D9%85%D8%A7%D8%B1-%D8%A8%D8%B9%D8%AF-%D8%AD%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D8%AD%D9%85%D8%AF%D8%A7%D9%86%D9%8A%D8%A9',
 'مأساة في العراق.. صور توثّق الدمار بعد حريق الحمدانية','عاش العراق على وقع مأساة جديدة، وهذه المرة نشوب حريق في قاعة أفراح ببلدة الحمدانية بمحافظة نينوى شمالي البلاد، نتج عنه أكثر من 450 شخصًا بين قتيل وجريح.','2023-09-27','text (Wednesday morning) + knowledge')
I('iq_ham_masralaan','Masr Alaan','https://masralaaan.com/317513','صحة نينوى: ارتفاع حصيلة ضحايا حريق حفل زفاف الحمدانية إلى 107 ضحية',
 'أعلنت صحة نينوى، اليوم السبت، ارتفاع حصيلة ضحايا حريق حفل زفاف الحمدانية إلى 107 بينهم 41 غير متعرف عليهم.','2023-09-30','text (Saturday after 26 Sep fire)')
I('iq_ham_elmada','Elmada News','https://elmadanews.com/society/%D8%B5%D8%AD%D8%A9-%D9%86%D9%8A%D9%86%D9%88%D9%89-%D8%AA%D8%B9%D9%84%D9%86-%D8%A7%D8%B1%D8%AA%D9%81%D8%A7%D8%B9-%D8%AD%D8%B5%D9%8A%D9%84%D8%A9-%D9%81%D8%A7%D8%AC%D8%B9%D8%A9-%D8%A7%D9%84%D8%AD%D9%85',
 'صحة نينوى تعلن ارتفاع حصيلة فاجعة الحمدانية','أعلنت دائرة صحة نينوى عن ارتفاع عدد ضحايا فاجعة قاعة الأعراس في قضاء الحمدانية إلى 107 أشخاص، حيث تم تسجيلهم رسمياً لدى الطب العدلي في مدينة الموصل.','2023-09-30','knowledge (same 107 toll update)')
I('iq_ham_3agel','3agel News','https://www.3agel.news/posts/%D8%A7%D9%86%D9%87%D9%8A%D8%A7%D8%B1-%D9%88%D8%A8%D9%83%D8%A7%D8%A1-%D8%B9%D8%B1%D9%8A%D8%B3-%D9%81%D8%A7%D8%AC%D8%B9%D8%A9-%D8%AD%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D8%AD%D9%85%D8%AF%D8%A7%D9%86%D9%8A',
 'انهيار وبكاء عريس فاجعة حريق الحمدانية بالعراق لحظة دفن الضحايا.. صور','نشرت شبكة "السومرية نيوز"، صورا لعريس حريق قاعة الزفاف، وهو في حالة انهيار تام أثناء دفن جثامين الضحايا.','2023-09-28','knowledge (burials day after fire)')

P('same','sy_sweida_ksaup','sy_sweida_megaphone','paraphrase','events: Sweida Druze-Bedouin clashes kill 37 [2025-07-14] both')
P('same','sy_sweida_anbaa','sy_sweida_megaphone','paraphrase','events: Syrian forces deploy into Sweida after clashes kill 37 [2025-07-14] both')
P('different','sy_sweida_ksaup','sy_gs_yalla','same_place','events: Sweida clashes kill 37 [2025-07-14] vs Israeli strike on General Staff in Damascus over Sweida [2025-07-16]')
P('different','sy_gs_nafitha','sy_sweida_anbaa','same_place','events: Israeli strikes near presidential palace Damascus [2025-07-16] vs Syrian army enters Sweida [2025-07-14]')
P('different','sy_sweida_megaphone','sy_church_twasl','same_place','events: Sweida clashes, 37 dead [2025-07-14] vs Damascus church bombing [2025-06-22]')
P('same','ma_semi_khaberni','ma_semi_nissaa','paraphrase','events: Morocco beat France on penalties to reach U20 World Cup final [2025-10-15] both')
P('same','ma_semi_albayan','ma_semi_dotkhalij','paraphrase','events: Morocco beat France on penalties to reach U20 World Cup final [2025-10-15] both')
P('different','ma_semi_dotkhalij','ma_u20_aljadeed','follow_up','events: Morocco reach U20 final beating France [2025-10-15] vs Morocco win final vs Argentina [2025-10-20]')
P('different','ma_semi_nissaa','ma_u20_wam','follow_up','events: Morocco into U20 World Cup final [2025-10-15] vs Morocco crowned U20 champions [2025-10-20]')
P('different','ma_u20_annoukhba','ma_semi_khaberni','follow_up','events: Morocco crowned U20 world champions [2025-10-20] vs Morocco knock out France in semi [2025-10-15]')
P('same','iq_ham_hathalyoum','iq_ham_alaraby','paraphrase','events: Hamdaniya (Nineveh) wedding hall fire, 100+ dead [2023-09-27] both')
P('same','iq_ham_masralaan','iq_ham_elmada','paraphrase','events: Nineveh health dept raises Hamdaniya toll to 107 [2023-09-30] both')
P('different','iq_ham_masralaan','iq_ham_hathalyoum','follow_up','events: Hamdaniya toll updated to 107 [2023-09-30] vs wedding fire kills 100+ [2023-09-27]')
P('different','iq_ham_3agel','iq_ham_alaraby','follow_up','events: groom breaks down at burial of Hamdaniya victims [2023-09-28] vs Hamdaniya fire destruction photos [2023-09-27]')
P('different','iq_ham_hathalyoum','iq_kut_arabiansea','same_event_type','events: Hamdaniya wedding hall fire [2023-09-27] vs Kut hypermarket fire [2025-07-17] (both Iraq)')
P('different','iq_kut_newsroom','iq_ham_elmada','same_event_type','events: Kut hypermarket fire toll 67 [2025-07-17] vs Hamdaniya wedding fire toll 107 [2023-09-30] (both Iraq)')
