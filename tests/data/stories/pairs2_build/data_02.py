# Jeju Air crash 29 Dec 2024 / Azerbaijan Airlines crash 25 Dec 2024
I('jeju_onanews','ONA News','https://onanews.tv/%d8%b5%d8%ad%d8%a9/%d9%85%d9%82%d8%aa%d9%84-151-%d8%b4%d8%ae%d8%b5%d8%a7-%d8%b9%d9%84%d9%89-%d8%a7%d9%84%d8%a3%d9%82%d9%84-%d9%81%d9%8a-%d8%ad%d8%a7%d8%af%d8%ab-%d8%aa%d8%ad%d8%b7%d9%85-%d8%b7%d8%a7%d8%a6%d8%b1%d8%a9/49772',
 'مقتل 151 شخصا على الأقل في حادث تحطم طائرة','أدى تحطم الطائرة الذي وقع حوالي منتصف الليل بالتوقيت الكاتالوني في مطار موان الكوري الجنوبي في جنوب البلاد إلى مقتل 151 شخصًا. ومع ذلك، تعتقد السلطات أن إجمالي 179 شخصًا قد لقوا حتفهم، باستثناء شخصين تم إنقاذهما','2024-12-29','knowledge (Muan crash)')
I('jeju_emegypt','EM Egypt','https://emegypt.net/1077','ارتفاع عدد ضحايا تحطم طائرة الركاب الكورية الجنوبية إلى 177 قتيلا',
 'ارتفع عدد ضحايا تحطم طائرة الركاب الكورية الجنوبية إلى 177 قتيلا، حسبما أفادت قناة “القاهرة الإخبارية”.','2024-12-29','knowledge (toll 177 on crash day)')
I('jeju_misrelaan','Misr Elaan','https://misrelaan.com/article/48372/%D9%83%D8%A7%D8%B1%D8%AB%D8%A9-%D8%AC%D9%88%D9%8A%D8%A9-%D9%81%D9%8A-%D9%83%D9%88%D8%B1%D9%8A%D8%A7-%D8%A7%D9%84%D8%AC%D9%86%D9%88%D8%A8%D9%8A%D8%A9-%D8%A7%D8%B1%D8%AA%D9%81%D8%A7%D8%B9-%D8%AD%D8%B5%D9%8A%D9%84',
 'كارثة جوية في كوريا الجنوبية: ارتفاع حصيلة ضحايا تحطم الطائرة إلى 177 قتيلاً','أعلنت السلطات الكورية الجنوبية ارتفاع عدد ضحايا حادث تحطم طائرة ركاب تابعة لشركة "جيجو إير" إلى 177 قتيلاً، في حادث مأساوي وقع بمطار "موان" في مقاطعة "جولا الشمالية".','2024-12-29','text')
I('jeju_welt','Weltexpress (Arabic)','https://ar.weltexpress.info/2024/12/29/تحطم-طائرة-في-جمهورية-كوريا','تحطم طائرة في جمهورية كوريا',
 'ارتفع عدد القتلى في حادث تحطم الطائرة في جمهورية كوريا، المعروفة أيضًا باسم كوريا الجنوبية، إلى 174 شخصًا. أعلنت ذلك وكالة يونهاب للأنباء.','2024-12-29','url')
I('jeju_aj_dec31','Al Jazeera Net','https://www.aljazeera.net/misc/2024/12/31/%D8%AA%D9%81%D8%A7%D8%B5%D9%8A%D9%84-%D9%85%D8%AB%D9%8A%D8%B1%D8%A9-%D8%AD%D9%88%D9%84-%D9%86%D8%AC%D8%A7%D8%A9-%D9%81%D8%B1%D8%AF%D9%8A%D9%86-%D9%85%D9%86-%D8%B7%D8%A7%D9%82%D9%85?traffic_source=rss',
 'تفاصيل مثيرة حول نجاة فردين من طاقم','شهد مطار موان الدولي في كوريا الجنوبية -الأحد الماضي- حادثًا مأساويًا تمثل في تحطم طائرة تابعة لشركة "طيران جيجو" على المدرج، مما أدى إلى وفاة 179 شخصًا من أصل 181 كانوا على متنها. ونجا من الكارثة شخصان فقط، وهما مضيفا الطيران','2024-12-31','url')
I('azal_motorshow','Motorshow.me','https://motorshow.me/news-details/18315/تحطم-طائرة-أذربيجانية-على-متنها-67-شخصا/en','تحطم طائرة أذربيجانية على متنها 67 شخصا',
 'أعلنت السلطات الكازاخستانية عن تحطم طائرة ركاب تابعة للخطوط الجوية الأذربيجانية بالقرب من مدينة أكتاو. كانت الطائرة تحمل 62 راكبًا وطاقمًا مكونًا من خمسة أفراد، ونجا من الحادث 27 شخصًا بينهم ثلاثة أطفال يتلقون العلاج حاليًا في مستشفى قريب.','2024-12-25','knowledge (Aktau crash)')
# Egypt central bank
I('egp_mar24_arclub','ArClub','https://arclub.site/%d8%a7%d8%b1%d8%aa%d9%81%d8%a7%d8%b9-%d8%b3%d8%b9%d8%b1-%d8%a7%d9%84%d8%af%d9%88%d9%84%d8%a7%d8%b1-%d8%a7%d9%84%d9%8a%d9%88%d9%85-%d9%81%d9%8a-%d9%85%d8%b5%d8%b1-%d8%a8%d8%b9%d8%af-%d8%b2%d9%8a%d8%a7/amp',
 'ارتفاع سعر الدولار اليوم في مصر بعد زيادة سعر الفائدة','أعلن البنك المركزي المصري خلال اجتماع استثنائي اليوم الأربعاء عن زيادة نسبتها 6% في سعر الفائدة، مما أدى إلى ارتفاع سعر الدولار في البنوك العاملة في مصر.','2024-03-06','text (Wednesday, 6% hike) + knowledge')
I('egp_mar24_arabcap','The Arab Capital','https://thearabcapital.com/news/%d9%85%d8%b5%d8%b1-%d8%aa%d8%ad%d8%b5%d9%84-%d8%b9%d9%84%d9%89-%d9%82%d8%b1%d8%b6-%d8%a5%d8%b6%d8%a7%d9%81%d9%8a-%d8%a8%d9%82%d9%8a%d9%85%d8%a9-5-%d9%85%d9%84%d9%8a%d8%a7%d8%b1%d8%a7%d8%aa-%d8%af/amp',
 'مصر تحصل على قرض إضافي بقيمة 5 مليارات دولار','وقال الجانبان إن مصر حصلت على قروض إضافية بقيمة خمسة مليارات دولار من صندوق النقد الدولي يوم الأربعاء، بعد أن رفع البنك المركزي أسعار الفائدة وسمح للجنيه بالهبوط نحو 40 بالمئة.','2024-03-06','text (Wednesday) + knowledge')
I('egp_dec22_egtoday','Egypt Today','https://egypt-today.com/amp/1192/164324-%D8%A7%D9%84%D9%85%D8%B1%D9%83%D8%B2%D9%8A-%D8%A7%D9%84%D9%85%D8%B5%D8%B1%D9%8A-%D9%8A%D8%B9%D9%84%D9%86-%D8%B1%D9%81%D8%B9-%D8%A3%D8%B3%D8%B9%D8%A7%D8%B1-%D8%A7%D9%84%D9%81%D8%A7%D8%A6%D8%AF%D8%A9-%D9%84%D9%83%D8%A8%D8%AD-%D9%85%D8%B9%D8%AF%D9%84%D8%A7%D8%AA-%D8%A7%D9%84%D8%AA%D8%B6%D8%AE%D9%85',
 'المركزي المصري يعلن رفع أسعار الفائدة لكبح معدلات التضخم','أعلن المصرف المركزي رفع أسعار الفائدة بمقدار ثلاثة بالمئة في محاولة للسيطرة على ارتفاع معدلات التضخم.','2022-12','knowledge (300bp hike after first IMF tranche of $347m, Dec 2022)')
I('egp_oct22_dostor','Al Dostor (keyword page)','https://dostor.synceg.net/keyword/357153','حزب المؤتمر: زيادة أسعار الفائدة إجراء متوقع لتحرير الاقتصاد',
 'أكد حزب المؤتمر برئاسة الربان عمر صميدة عضو مجلس الشيوخ، أن قرار البنك المركزي المصري الصادر اليوم الخميس بزيادة أسعار الفائدة، وجعل سعر صرف الجنيه أمام العملات الأجنبية يتحدد وفقا للعرض والطلب، هو إجراء متوقع ومنتظر لتحرير الاقتصاد','2022-10-27','text (Thursday float) + knowledge')

P('same','jeju_emegypt','jeju_misrelaan','paraphrase','events: Jeju Air crash at Muan, toll 177 [2024-12-29] both')
P('same','jeju_onanews','jeju_welt','paraphrase','events: Jeju Air crash at Muan, toll 151/174 rising [2024-12-29] both')
P('same','jeju_misrelaan','jeju_welt','paraphrase','events: Jeju Air crash at Muan, toll 177/174 [2024-12-29] both')
P('different','jeju_aj_dec31','jeju_emegypt','follow_up','events: details of the two surviving crew members [2024-12-31] vs Jeju crash toll rises to 177 [2024-12-29]')
P('different','azal_motorshow','jeju_misrelaan','same_event_type','events: Azerbaijan Airlines crash near Aktau [2024-12-25] vs Jeju Air crash in Muan [2024-12-29]')
P('different','azal_motorshow','jeju_onanews','same_event_type','events: Azerbaijan Airlines crash near Aktau [2024-12-25] vs Jeju Air crash in Muan [2024-12-29]')
P('different','egp_mar24_arclub','egp_dec22_egtoday','same_event_type','events: CBE 600bp hike + float, dollar jumps [2024-03-06] vs CBE 300bp hike [2022-12]')
P('different','egp_oct22_dostor','egp_mar24_arclub','same_event_type','events: CBE hike + flexible exchange rate (party reaction) [2022-10-27] vs CBE 600bp hike, dollar jumps [2024-03-06]')
P('different','egp_mar24_arabcap','egp_mar24_arclub','same_place','events: Egypt gets extra $5bn IMF loan [2024-03-06] vs CBE 6% hike lifts dollar [2024-03-06] (same day, linked but different development)')
