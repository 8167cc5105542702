# Japan: Haneda runway collision 2 Jan 2024
I('jp_haneda_syrianpc','Syrian PC','https://syrianpc.com/خمسة-قتلى-بعد-اصطدام-طائرتين-في-طوكيو','خمسة قتلى بعد اصطدام طائرتين في طوكيو',
 'اصطدمت طائرة ركاب يابانية بطائرة تابعة لخفر السواحل في مطار طوكيو هانيدا الدولي. احترقت طائرة الخطوط الجوية اليابانية بالكامل. وفي الطائرة الأخرى، توفي خمسة ركاب وأصيب رجل بجروح خطيرة.','2024-01-02','knowledge')
I('jp_haneda_q8press','Q8 Press','https://q8-press.com/%D8%A7%D9%84%D8%B4%D8%B1%D8%B7%D8%A9-%D8%A7%D9%84%D9%8A%D8%A7%D8%A8%D8%A7%D9%86%D9%8A%D8%A9-%D9%85%D9%82%D8%AA%D9%84-5-%D9%85%D9%86-%D8%AE%D9%81%D8%B1-%D8%A7%D9%84%D8%B3%D9%88%D8%A7%D8%AD%D9%84',
 'الشرطة اليابانية: مقتل 5 من «خفر السواحل» بعد اصطدام طائرتهم بطائرة أخرى في مطار هانيدا','قالت الشرطة اليابانية إن خمسة مسؤولين من خفر السواحل الياباني من أصل ستة أفراد من الطاقم تأكدت وفاتهم بعد اصطدام طائرتهم بطائرة تابعة لشركة JAL في مطار هانيدا.','2024-01-02','knowledge')
I('jp_haneda_egtoday','Egypt Today','https://www.egypt-today.com/amp/1199/183711-5-قتلى-في-اصطدام-الطائرتين-في-مطار-هانيدا-الياباني','5 قتلى في اصطدام الطائرتين في مطار هانيدا الياباني',
 'قتل 5 أشخاص كانوا على متن طائرة تابعة لخفر السواحل الياباني بعد حادث تصادم اليوم الثلاثاء واصطدمت الطائرة مع أخرى تابعة لشركة الخطوط اليابانية في مطار هانيدا في طوكيو الثلاثاء، وفق ما أعلن وزير النقل تيتسيو سايتو','2024-01-02','text (Tuesday) + knowledge')
I('jp_haneda_asharqbiz','Asharq Business','https://asharqbusiness.com/economics/41235/اشتعال-طائرة-ركاب-يابانية-في-طوكيو-بعد-اصطدامها-بأخرى-أثناء-الهبوط','اشتعال طائرة ركاب يابانية في طوكيو بعد اصطدامها بأخرى أثناء الهبوط',
 'أدى حادث تصادم اليوم الثلاثاء في مطار هانيدا بالعاصمة اليابانية طوكيو، إلى مقتل خمسة أشخاص، واشتعال النار بطائرة تابعة للخطوط الجوية اليابانية وعلى متنها بضع مئات من الركاب.','2024-01-02','text (Tuesday) + knowledge')
# Iraq: drone attacks on Kurdistan oil fields 14-17 Jul 2025
I('iq_kdoil_sawtelghad','Sawt El Ghad','https://sawtelghad.net/120086','هجوم بمسيرات على حقول نفط بكردستان العراق لليوم الثالث على التوالي',
 'قال جهاز مكافحة الإرهاب في إقليم كردستان العراق إن هجوما بطائرات مسيرة استهدف اليوم الأربعاء حقول نفط تديرها بمنطقة زاخو في الإقليم، وهذا أدى إلى أضرار مادية فقط دون وقوع إصابات.','2025-07-16','knowledge (Wednesday, third day of attacks; page header shows a later date)')
I('iq_kdoil_arabonline','The Arab Online','https://thearabonline.com/news/%d9%87%d8%ac%d9%88%d9%85-%d8%a8%d9%85%d8%b3%d9%8a%d8%b1%d8%a7%d8%aa-%d8%b9%d9%84%d9%89-%d8%ad%d9%82%d9%88%d9%84-%d9%86%d9%81%d8%b7-%d8%a8%d9%83%d8%b1%d8%af%d8%b3%d8%aa%d8%a7%d9%86-%d8%a7%d9%84%d8%b9/?amp=1',
 'هجوم بمسيرات على حقول نفط بكردستان العراق','قال جهاز مكافحة الإرهاب في إقليم كردستان العراق إن هجوما بطائرات مسيرة استهدف اليوم الأربعاء حقول نفط تديرها بمنطقة زاخو في الإقليم، وهذا أدى إلى أضرار مادية فقط دون وقوع إصابات.','2025-07-16','knowledge')
I('iq_kdoil_naynawa','Naynawa Alghad TV','https://naynawaalghad.tv/%d9%87%d8%ac%d9%85%d8%a7%d8%aa-%d9%85%d8%b3%d9%8a%d9%91%d8%b1%d8%a9-%d8%aa%d8%b3%d8%aa%d9%87%d8%af%d9%81-%d9%85%d9%86%d8%b4%d8%a2%d8%aa-%d9%86%d9%81%d8%b7%d9%8a%d8%a9-%d9%81%d9%8a-%d9%83%d9%88%d8%b1/%d8%a7%d9%84%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1-%d8%a7%d9%84%d8%a7%d9%85%d9%86%d9%8a%d8%a9',
 'هجمات مسيّرة تستهدف منشآت نفطية في كوردستان دون خسائر بشرية.. وتوقف إنتاج 200 ألف برميل','كشف مصدر أمني في محافظة دهوك عن شن هجوم بطائرة مسيّرة على مصفاة مغارة النفطية في قضاء شيخان.','2025-07-17','text (Thursday 17 July 2025)')
I('iq_kdoil_albawaba','Al Bawaba','https://www.albawaba.me/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82-%D9%87%D8%AC%D9%85%D8%A7%D8%AA-%D8%AC%D9%88%D9%8A%D8%A9-%D9%85%D8%AC%D9%87%D9%88%D9%84%D8%A9-%D8%AA%D9%83%D8%A8%D8%AF-%D9%83%D8%B1%D8%AF%D8%B3%D8%AA%D8%A7%D9%86-1608895',
 'العراق: هجمات جوية مجهولة تكبد كردستان خسائر فادحة','أعلن جهاز مكافحة الإرهاب في إقليم كردستان العراق، اليوم الخميس، عن تعرض حقل طاوكي النفطي لهجوم بطائرة مسيرة، فيما تديره شركة النفط والغاز النرويجية (دي إن أو) في منطقة زاخو شمالي العراق.','2025-07-17','text (published 17 July 2025)')

P('same','jp_haneda_syrianpc','jp_haneda_q8press','paraphrase','events: JAL jet collides with coast guard plane at Haneda, 5 dead [2024-01-02] both')
P('same','jp_haneda_egtoday','jp_haneda_asharqbiz','paraphrase','events: JAL jet collides with coast guard plane at Haneda, 5 dead [2024-01-02] both')
P('different','jp_haneda_q8press','jp_noto_marsal','same_place','events: Haneda runway collision kills 5 coast guard crew [2024-01-02] vs Noto quake toll rises to 48 [2024-01-02] (same country, same day; the coast guard plane was bound for the quake zone)')
P('different','jp_noto_wikinews','jp_haneda_egtoday','same_place','events: Noto M7.6 quake and tsunami [2024-01-01] vs Haneda runway collision [2024-01-02]')
P('different','jp_haneda_asharqbiz','jeju_misrelaan','same_event_type','events: Haneda runway collision, JAL jet burns [2024-01-02] vs Jeju Air crash at Muan [2024-12-29]')
P('same','iq_kdoil_sawtelghad','iq_kdoil_arabonline','paraphrase','events: drones hit Zakho oil fields, third day of attacks [2025-07-16] both')
P('same','iq_kdoil_naynawa','iq_kdoil_albawaba','paraphrase','events: new drone attacks on Kurdistan oil facilities (Tawke field, Maghara refinery) [2025-07-17] both')
P('different','iq_kdoil_arabonline','iq_kdoil_naynawa','follow_up','events: drone attack on Zakho fields (3rd day) [2025-07-16] vs further drone attacks on Maghara refinery/Tawke field [2025-07-17] (doubtful: same wave, consecutive days)')
P('different','iq_kdoil_naynawa','iq_kut_newsroom','same_place','events: drone attacks on Kurdistan oil facilities [2025-07-17] vs Kut hypermarket fire [2025-07-17] (same country, same day)')
P('different','iq_kut_arabiansea','iq_kdoil_albawaba','same_place','events: Kut hypermarket fire toll 67 [2025-07-17] vs drone attacks on Kurdistan oil fields [2025-07-17] (same country, same day)')
P('different','iq_kdoil_sawtelghad','iq_kut_misrnow','same_place','events: drones hit Zakho oil fields [2025-07-16] vs Kut hypermarket fire [2025-07-16/17] (same country, adjacent days)')
P('different','ye_rahawi_swiss','sy_gs_almasdar','same_event_type','events: Houthis confirm PM killed in Israeli strike on Sanaa [2025-08-30] vs Israeli strike on General Staff in Damascus [2025-07-16]')
P('different','kw_parl_sadatabuk','kw_fire_ab','same_place','events: Kuwait emir dissolves parliament [2024-05-10] vs Mangaf workers building fire [2024-06-12]')
