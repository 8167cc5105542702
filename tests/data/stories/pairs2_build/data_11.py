# Saudi Expo 2030
I('expo_alyaum','Al Yaum','https://alyaum.com/articles/6500853/الأخبار/المملكة-اليوم/الرياض-اختيار-العالم-شاهد-احتفالات-العاصمة-بفوزها-بتنظيم-إكسبو-2030','الرياض اختيار العالم.. شاهد احتفالات العاصمة بفوزها بتنظيم إكسبو 2030',
 'احتفل أهالي الرياض، بفوز العاصمة بتنظيم معرض إكسبو 2030.','2023-11-28','text (tweet dated November 28, 2023)')
I('expo_paris_lemaghreb','Le Maghreb (Arabic)','https://ar.lemaghreb.tn/شؤون-عربية-و-دولية/شؤون-عربية/item/87403-ولي-العهد-السعودي-يزور-مقر-حفل-ترشح-الرياض-لاستضافة-إكسبو-2030-في-باريس','ولي العهد السعودي يزور مقر حفل ترشح الرياض لاستضافة إكسبو 2030 في باريس',
 'الذي أقامته الهيئة الملكية لمدينة الرياض لمندوبي 179 دولة من أعضاء المكتب الدولي للمعارض- المنظمة المسؤولة عن معرض إكسبو الدولي - وذلك في العاصمة الفرنسية باريس.','2023-06-20','text (20 June 2023)')
# Kuwait: Emir dissolves parliament 10 May 2024
I('kw_parl_963','963 Media','https://963media.com/12631/embed','أمير الكويت يحل البرلمان ويعلق بعض مواد الدستور',
 'أصدر أمير الكويت الشيخ مشعل الأحمد الجابر الصباح، أمس الجمعة، أمراً بحل البرلمان وتعليق العمل ببعض مواد الدستور لمدة 4 سنوات.','2024-05-10','knowledge (Friday 10 May 2024; article next day)')
I('kw_parl_stop','Stop Journal','https://stop-journal.com/article-656-أمير_دولة_الكويت_يحل_مجلس_الأمة_ويعلق_بعض_بنود_الدستور','أمير دولة الكويت يحل مجلس الأمة ويعلق بعض بنود الدستور',
 'اعلن أمير دولة الكويت الشيخ مشعل الأحمد الجابر الصباح، عن حل مجلس الأمة وتعليق بعض بنود الدستور في البلاد لمدة لا تزيد على 4 سنوات.','2024-05-10','knowledge')
I('kw_parl_sadatabuk','Sada Tabuk','https://sada-tabuk.com/news/s/101040','أمير الكويت يعلن حل مجلس الأمة',
 'أعلن أمير الكويت الشيخ مشعل الأحمد، حل مجلس الأمة وتجميد العمل ببعض مواد الدستور.','2024-05-10','knowledge')
# Vatican: Leo XIV elected 8 May 2025
I('pope_ma5tv','Ma5 TV','https://ma5tv.ma/185005','الفاتيكان: انتخاب الأميركي روبرت فرنسيس بريفوست بابا جديدا',
 'اعلن الفاتيكان أن الكاردينال الأميركي، روبرت فرنسيس بريفوست، أصبح، الخميس، أول بابا ينحدر من الولايات المتحدة وقد اتخذ له اسم ليون الرابع عشر.','2025-05-08','knowledge')
I('pope_nebras','Nebras News','https://nebrasnews.com/news/archives/296187','انتخاب الكاردينال الأمريكي روبرت فرنسيس بريفوست بابا جديد للفاتيكان',
 'أعلن الفاتيكان مساءاليوم الخميس انتخاب الكاردينال الأمريكي بريفوست بابا جديدا للفاتيكان البالغ من العمر 69 عاما.','2025-05-08','knowledge')
I('pope_dznews','DZ News','https://dznews.dz/%D8%A7%D9%86%D8%AA%D8%AE%D8%A7%D8%A8-%D8%A7%D9%84%D9%83%D8%A7%D8%B1%D8%AF%D9%8A%D9%86%D8%A7%D9%84-%D8%A7%D9%84%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D9%8A-%D8%A8%D8%B1%D9%8A%D9%81%D9%88%D8%B3%D8%AA-%D8%A8/',
 'انتخاب الكاردينال الأميركي بريفوست بابا جديدا','في سابقة تاريخية، أعلن الفاتيكان، اليوم الخميس، انتخاب الكاردينال الأميركي روبرت فرانسيس بريفوست بابا جديدًا للكنيسة الكاثوليكية، ليصبح بذلك أول أميركي يتولى هذا المنصب الرفيع','2025-05-08','knowledge')
I('pope_tiqa','Tiqa TV','https://tiqatv.com/2025/05/08/%d8%a7%d9%84%d9%83%d9%86%d9%8a%d8%b3%d8%a9-%d8%a7%d9%84%d9%83%d8%a7%d8%ab%d9%88%d9%84%d9%8a%d9%83%d9%8a%d8%a9-%d8%aa%d8%ae%d8%aa%d8%a7%d8%b1-%d8%a8%d8%a7%d8%a8%d8%a7-%d8%a3%d9%85%d8%b1%d9%8a%d9%83',
 'الكنيسة الكاثوليكية تختار بابا أمريكيا','على الرغم من المعارضة الطويلة الأمد داخل الفاتيكان لفكرة انتخاب بابا من الولايات المتحدة، بسبب مكانة البلاد كقوة عظمى ونفوذها العالمي العلماني، انتخب مجمع الكرادلة يوم الخميس أول بابا أمريكي','2025-05-08','url')
# Egypt: Ras El Hekma deal
I('egp_hekma_arabmls','Arab MLS','https://arabmls.org/ar/news/توقعت-مصر-والإمارات-صفقة-استثمارية-ضخ','توقعت مصر والإمارات صفقة استثمارية ضخمة',
 'وقّعت مصر، يوم الجمعة، اتفاقية شراكة استثمارية ضخمة مع الإمارات لتطوير مدينة رأس الحكمة غرب الإسكندرية، في إطار واحد من أكبر الصفقات التي ستسهم في تعزيز السيولة الدولارية بالبلاد وتخفيف أزمتها الاقتصادية.','2024-02-23','knowledge (signed Friday 23 Feb 2024)')
I('egp_hekma_bizmen','Businessmen Egypt','https://businessmen-eg.com/14120/مصادر--توقيع-اتفاقيات-رأس-الحكمة-خلال-زيارة-مدبولي-لدبي','مصادر: توقيع اتفاقيات رأس الحكمة خلال زيارة مدبولي لدبي',
 'كشفت مصادر مطلعة النقاب عن أن الزيارة التي بدأها الدكتور مصطفى مدبولي رئيس مجلس الوزراء إلى دولة الإمارات اليوم الأحد للمشاركة في قمة الحكومات العالمية بمدينة دبي ستشهد توقيع اتفاقيات مبدئية بشأن صفقة مشروع رأس الحكمة بمطروح.','2024-02-11','text (Sunday, summit 12-14 Feb)')
I('egp_hekma_sarabic','Sputnik Arabic','https://sarabic.ae/amp/20240515/%D9%85%D8%B5%D8%B1-%D8%AA%D8%AA%D8%B3%D9%84%D9%85-%D8%A7%D9%84%D8%AF%D9%81%D8%B9%D8%A9-%D8%A7%D9%84%D8%AB%D8%A7%D9%86%D9%8A%D8%A9-%D9%85%D9%86-%D8%B5%D9%81%D9%82%D8%A9-%D8%B1%D8%A3%D8%B3-%D8%A7%D9%84%D8%AD%D9%83%D9%85%D8%A9-%D8%A8%D9%82%D9%8A%D9%85%D8%A9-14-%D9%85%D9%84%D9%8A%D8%A7%D8%B1-%D8%AF%D9%88%D9%84%D8%A7%D8%B1-1088859560.html',
 'مصر تتسلم الدفعة الثانية من صفقة رأس الحكمة بقيمة 14 مليار دولار','وقال مدبولي في بيان إن الحكومة المصرية تسلمت بالفعل من الجانب الإماراتي مبلغ 14 مليار دولار.','2024-05-15','url')
I('egp_hekma_ngmisr','NG Misr','https://ngmisr.com/arab-news/egypt-news/%d9%85%d8%b5%d8%b1-%d8%aa%d8%b3%d8%aa%d9%84%d9%85-14-%d9%85%d9%84%d9%8a%d8%a7%d8%b1-%d8%af%d9%88%d9%84%d8%a7%d8%b1-%d9%85%d9%86-%d8%a7%d9%84%d8%a5%d9%85%d8%a7%d8%b1%d8%a7%d8%aa-%d9%84%d8%b5%d9%81',
 'مصر تستلم 14 مليار دولار من الإمارات لصفقة رأس الحكمة','تلقت مصر 14 مليار دولار من الإمارات كدفعة ثانية ضمن صفقة تطوير وتنمية منطقة رأس الحكمة، وفقًا لبيان أصدره مجلس الوزراء المصري يوم الأربعاء.','2024-05-15','text (Wednesday) + knowledge')
I('egp_hekma_goldlive','Gold Price Now (.live)','https://goldpricenow.live/news/820-%D9%85%D8%B5%D8%B1-%D8%AA%D8%B3%D8%AA%D9%84%D9%85-20-%D9%85%D9%84%D9%8A%D8%A7%D8%B1-%D8%AF%D9%88%D9%84%D8%A7%D8%B1-%D9%85%D9%86-%D8%B5%D9%81%D9%82%D8%A9-%D8%B1%D8%A3%D8%B3-%D8%A7%D9%84%D8%AD%D9%83%D9%85%D8%A9',
 'مصر تستلم 20 مليار دولار من صفقة رأس الحكمة','مصر تستقبل دفعة ثانية بقيمة 14 مليار دولار من صفقة تطوير مدينة رأس الحكمة بالتعاون مع الإمارات، إضافة إلى تنازل الإمارات عن وديعة بـ6 مليار دولار للبنك المركزي المصري.','2024-05-15','knowledge')

P('different','expo_alyaum','wc34_almkal','same_place','events: Riyadh wins Expo 2030 [2023-11-28] vs Saudi awarded 2034 World Cup [2024-12-11]')
P('different','expo_paris_lemaghreb','expo_alyaum','follow_up','events: Saudi crown prince attends Riyadh Expo bid reception in Paris [2023-06-20] vs Riyadh wins Expo 2030 vote [2023-11-28]')
P('same','kw_parl_963','kw_parl_stop','paraphrase','events: Kuwait emir dissolves parliament, suspends constitution articles [2024-05-10] both')
P('same','kw_parl_sadatabuk','kw_parl_stop','paraphrase','events: Kuwait emir dissolves parliament [2024-05-10] both')
P('different','kw_parl_963','kw_fire_wikikw','same_place','events: Kuwait emir dissolves parliament [2024-05-10] vs Mangaf building fire [2024-06-12]')
P('same','pope_ma5tv','pope_nebras','paraphrase','events: Robert Prevost elected Pope Leo XIV [2025-05-08] both')
P('same','pope_dznews','pope_tiqa','paraphrase','events: Robert Prevost elected Pope Leo XIV [2025-05-08] both')
P('different','pope_nebras','lb_aoun_shfa','same_event_type','events: Prevost elected pope [2025-05-08] vs Aoun elected Lebanese president [2025-01-09]')
P('same','egp_hekma_sarabic','egp_hekma_ngmisr','paraphrase','events: Egypt receives 2nd Ras El Hekma tranche of $14bn [2024-05-15] both')
P('same','egp_hekma_goldlive','egp_hekma_ngmisr','paraphrase','events: Egypt receives 2nd Ras El Hekma tranche ($14bn + $6bn deposit = $20bn) [2024-05-15] both')
P('different','egp_hekma_arabmls','egp_hekma_sarabic','follow_up','events: Egypt and UAE sign Ras El Hekma deal [2024-02-23] vs second $14bn tranche received [2024-05-15]')
P('different','egp_hekma_bizmen','egp_hekma_arabmls','follow_up','events: sources expect Ras El Hekma agreements during Madbouly Dubai visit [2024-02-11] vs deal signed [2024-02-23]')
P('different','egp_hekma_ngmisr','egp_mar24_arclub','same_place','events: Egypt receives $14bn Ras El Hekma tranche [2024-05-15] vs CBE 6% hike, dollar jumps [2024-03-06]')
P('different','egp_hekma_arabmls','egp_mar24_arabcap','same_place','events: Ras El Hekma deal signed with UAE [2024-02-23] vs Egypt gets extra $5bn IMF loan [2024-03-06]')
P('different','iq_kut_misrnow','sy_gs_nahda','unrelated','events: Kut hypermarket fire [2025-07-17] vs Israeli strikes on Damascus [2025-07-16] (adjacent days, different countries)')
P('different','sy_sweida_ksaup','iq_kut_egy2day','unrelated','events: Sweida clashes [2025-07-14] vs Kut hypermarket fire [2025-07-17]')
P('different','jeju_welt','azal_motorshow','same_event_type','events: Jeju Air crash Muan toll 174 [2024-12-29] vs Azerbaijan Airlines crash Aktau [2024-12-25]')
P('different','ye_rahawi_walal','ye_hod_daynews','same_place','events: Houthi PM killed in Israeli strike on Sanaa [2025-08-28] vs oil tank explosion at Hodeidah port [2024-07-24]')
P('different','sd_palace_ahdaath','sd_hosp_jan_sarmad','same_place','events: army retakes Khartoum palace [2025-03-21] vs RSF drone strike on El Fasher Saudi hospital [2025-01]')
